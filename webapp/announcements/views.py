"""Announcements as people read and write them: a group's list, one announcement's page,
marking them read, how one takes a group's, and writing one (with a preview) to a group
or to an event's people."""

from flask import flash, request, url_for
from flask_login import current_user, login_required

from webapp.announcements import bp
from webapp.announcements.access import (
    can_announce_to_event,
    can_announce_to_group,
    get_announcement,
    manages_announcement,
    reads_group_announcements,
    received_announcement,
)
from webapp.announcements.forms import AnnouncementForm, DeliveryForm
from webapp.announcements.queries import (
    delivery_counts,
    delivery_of,
    group_announcements,
    read_ids,
)
from webapp.announcements.services import announce, choose_delivery, mark_read, sends_left
from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.access import get_event
from webapp.extensions import db
from webapp.groups.access import can_manage, can_take_part, get_group
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, render_form, wants_fragment
from webapp.web.markdown import render_markdown
from webapp.web.pagination import paginate
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _

PER_PAGE = 20


def detail_url(announcement):
    return url_for("announcements.detail", announcement_id=announcement.id)


@bp.get("/groups/<slug>/announcements")
def group_list(slug):
    """A group's announcements, latest first, those one has not read marked."""
    group = get_group(slug, need=reads_group_announcements)
    manages = can_manage(current_user, group)
    page = paginate(group_announcements(group, with_waiting=manages), per_page=PER_PAGE)
    delivery_form = None
    if can_take_part(current_user, group):
        delivery_form = DeliveryForm(
            formdata=None, data={"delivery": delivery_of(current_user, group).value}
        )
    return render(
        "announcements/group.html",
        "announcements/_list.html",
        group=group,
        page=page,
        read=read_ids(current_user, page.items),
        counts=delivery_counts(page.items) if manages else {},
        can_announce=manages,
        sends_left=sends_left(group) if manages else None,
        delivery_form=delivery_form,
    )


@bp.post("/groups/<slug>/announcements/read")
@login_required
def mark_group_read(slug):
    """Mark every announcement of the group one has been sent as read."""
    group = get_group(slug, need=reads_group_announcements)
    if EmptyForm().validate_on_submit():
        mark_read(current_user, db.session.scalars(group_announcements(group)).all())
        flash(_("All of %(group)s's announcements are marked read.", group=group.name), "success")
    return redirect_to(url_for("announcements.group_list", slug=group.slug))


@bp.post("/groups/<slug>/announcements/delivery")
@login_required
def choose_group_delivery(slug):
    """How the group's announcements reach one: by email, in the digest only, or not."""
    group = get_group(slug, need=can_take_part)
    form = DeliveryForm()
    if form.validate_on_submit():
        choose_delivery(current_user, group, form.delivery.data)
        flash(_("Your choice for %(group)s's announcements is saved.", group=group.name), "success")
        return redirect_to(url_for("announcements.group_list", slug=group.slug))
    return render_form(
        "announcements/delivery.html", "announcements/_delivery.html", form, group=group
    )


@bp.get("/announcements/<int:announcement_id>")
def detail(announcement_id):
    """One announcement, as its email said it."""
    announcement = get_announcement(announcement_id)
    manages = manages_announcement(current_user, announcement)
    return render(
        "announcements/detail.html",
        "announcements/_announcement.html",
        announcement=announcement,
        group=announcement.group,
        event=announcement.event,
        read=read_ids(current_user, [announcement]),
        counts=delivery_counts([announcement]) if manages else {},
        manages=manages,
        received=received_announcement(current_user, announcement),
    )


@bp.post("/announcements/<int:announcement_id>/read")
@login_required
def mark_one_read(announcement_id):
    """Mark one announcement read: the page does it once opened (leaving its messages be),
    or its button without JavaScript (then back to the page)."""
    announcement = get_announcement(announcement_id, need=received_announcement)
    form = EmptyForm()
    if form.validate_on_submit():
        mark_read(current_user, [announcement])
    if not wants_fragment():
        return redirect_to(url_for("announcements.detail", announcement_id=announcement.id))
    return render(
        "announcements/detail.html",
        "announcements/_read_mark.html",
        fetched_by_page=True,
        announcement=announcement,
        group=announcement.group,
        event=announcement.event,
        read={announcement.id},
        counts={},
        manages=False,
        received=True,
    )


def _compose(group, event, form):
    """The new announcement's form: preview it, or send (or schedule) it."""
    preview = None
    if form.validate_on_submit():
        text = form.text()
        if "preview" in request.form:
            preview = {"subject": text.subject, "body_html": render_markdown(text.body)}
        else:
            try:
                announcement = announce(current_user, group, text, event=event)
            except RuleError as error:
                refuse(error, form)
            else:
                if announcement.is_scheduled:
                    flash(_("The announcement is scheduled."), "success")
                else:
                    flash(_("The announcement is on its way."), "success")
                return redirect_to(detail_url(announcement))
    return render_form(
        "announcements/new.html",
        "announcements/_form.html",
        form,
        group=group,
        event=event,
        preview=preview,
        sends_left=sends_left(group),
        action=request.path,
    )


@bp.route("/groups/<slug>/announcements/new", methods=["GET", "POST"])
@login_required
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
def new_for_group(slug):
    """Write an announcement to the group's members."""
    group = get_group(slug, need=can_announce_to_group)
    return _compose(group, None, AnnouncementForm(may_be_public=group.is_on_the_open_web))


@bp.route("/events/<int:event_id>/announcements/new", methods=["GET", "POST"])
@login_required
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
def new_for_event(event_id):
    """Write an announcement to an event's people, by their answers."""
    event = get_event(event_id, need=can_announce_to_event)
    form = AnnouncementForm(for_event=True)
    if request.method == "GET":
        form.to_going.data = True
    return _compose(event.group, event, form)
