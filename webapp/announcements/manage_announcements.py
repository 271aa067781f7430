"""Organisers' actions on an announcement that waits for its time: edit it, or withdraw
it after asking (ask_then_act, which members_only.py asks with too). The manage blueprint
has loaded g.announcement and checked that the user may manage it (an organiser, while it
is scheduled)."""

from flask import flash, g, url_for
from flask_login import current_user

from webapp.announcements import manage
from webapp.announcements.forms import LATER, AnnouncementForm
from webapp.announcements.services import edit_announcement, withdraw_announcement
from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.times import to_local
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, render_form
from webapp.web.translating import gettext as _


def _form_of(announcement, zone):
    form = AnnouncementForm(
        for_event=announcement.event is not None,
        may_be_public=announcement.group.is_on_the_open_web,
        data={
            "subject": announcement.subject,
            "body": announcement.body,
            "when": LATER,
            "send_at": to_local(announcement.send_at, zone),
            "to_going": announcement.to_going,
            "to_maybe": announcement.to_maybe,
            "to_waitlisted": announcement.to_waitlisted,
            "public": announcement.public,
        },
    )
    return form


@manage.route("/edit", methods=["GET", "POST"])
def edit():
    """GET: its form. POST: save what it says, to whom and when."""
    announcement = g.announcement
    event = announcement.event
    zone = event.time_zone if event is not None else current_user.time_zone
    form = _form_of(announcement, zone)
    if form.validate_on_submit():
        try:
            edit_announcement(current_user, announcement, form.text())
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("The announcement is saved."), "success")
            return redirect_to(url_for("announcements.detail", announcement_id=announcement.id))
    return render_form(
        "announcements/edit.html",
        "announcements/_form.html",
        form,
        group=announcement.group,
        event=event,
        announcement=announcement,
        preview=None,
        sends_left=None,
        action=url_for("announcements.manage.edit", announcement_id=announcement.id),
    )


def ask_then_act(announcement, act, done, page, fragment):
    """An organiser's action on an announcement, asked first: GET asks (page, or fragment
    in the dialog with JavaScript); POST does act(current_user, announcement) and goes
    back to its page saying done; a rule that refuses it is said in the question (422)."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            act(current_user, announcement)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(done, "info")
            return redirect_to(url_for("announcements.detail", announcement_id=announcement.id))
    return render(
        page,
        fragment,
        status=422 if form.is_submitted() else 200,
        announcement=announcement,
        group=announcement.group,
        form=form,
    )


@manage.route("/withdraw", methods=["GET", "POST"])
def withdraw():
    """GET asks (a page, or a dialog with JavaScript); POST withdraws it."""
    return ask_then_act(
        g.announcement,
        withdraw_announcement,
        _("The announcement is withdrawn: it will not be sent."),
        "announcements/withdraw.html",
        "announcements/_withdraw.html",
    )
