"""Reporting a comment, a group's discussion, an event or a person, and "Your reports".
Each report form loads its thing first (404 to those who may not see it, 403 to those
who may see it but not report it), then files the report; with htmx the form gives way
to a thank-you in place, without JavaScript the post goes back to the thing's page."""

import sqlalchemy as sa
from flask import abort, flash, url_for
from flask_login import current_user, login_required

from webapp.accounts.models import User
from webapp.database.unit_of_work import RuleError, refuse
from webapp.discussions.access import get_comment, get_discussion
from webapp.discussions.pages import thread_url
from webapp.events.access import event_url, get_event
from webapp.extensions import db
from webapp.groups.access import can_take_part, get_group
from webapp.groups.models import Membership, MembershipStatus
from webapp.reports import bp
from webapp.reports.access import (
    can_report_comment,
    can_report_discussion,
    can_report_event,
    can_report_person,
)
from webapp.reports.forms import ReportForm
from webapp.reports.queries import reports_of
from webapp.reports.services import (
    report_comment,
    report_discussion,
    report_event,
    report_person,
)
from webapp.web.htmx import redirect_to, render, render_form, wants_fragment
from webapp.web.pagination import paginate
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _

PER_PAGE = 25


def report_form(action, heading, back, file_report, group):
    """GET: the form. POST: file the report; 422 with messages beside the fields."""
    form = ReportForm()
    if form.validate_on_submit():
        try:
            file_report(form.details())
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                _("Thank you. Your report is sent to those who look after this group."), "success"
            )
            if wants_fragment():
                return render("reports/new.html", "reports/_thanks.html", back=back)
            return redirect_to(back)
    return render_form(
        "reports/new.html",
        "reports/_form.html",
        form,
        action=action,
        heading=heading,
        back=back,
        group=group,
    )


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_REPORT", per_user=True)
@login_required
def report_a_comment(comment_id):
    """Report a comment one may read (not one's own)."""
    comment = get_comment(comment_id, need=can_report_comment)
    discussion = comment.discussion
    author = comment.author.name if comment.author else _("a former member")
    back = thread_url(discussion, comment)
    return report_form(
        url_for("reports.report_a_comment", comment_id=comment.id),
        _("Report a comment by %(name)s", name=author),
        back,
        lambda details: report_comment(current_user, comment, details),
        discussion.group,
    )


@bp.route("/discussions/<int:discussion_id>/report", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_REPORT", per_user=True)
@login_required
def report_a_discussion(discussion_id):
    """Report a group's discussion one may read (not one started)."""
    discussion = get_discussion(discussion_id, need=can_report_discussion)
    return report_form(
        url_for("reports.report_a_discussion", discussion_id=discussion.id),
        _("Report the discussion “%(title)s”", title=discussion.title),
        thread_url(discussion),
        lambda details: report_discussion(current_user, discussion, details),
        discussion.group,
    )


@bp.route("/events/<int:event_id>/report", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_REPORT", per_user=True)
@login_required
def report_an_event(event_id):
    """Report an event of one's group."""
    event = get_event(event_id, need=can_report_event)
    return report_form(
        url_for("reports.report_an_event", event_id=event.id),
        _("Report the event “%(title)s”", title=event.title),
        event_url(event),
        lambda details: report_event(current_user, event, details),
        event.group,
    )


@bp.route("/groups/<slug>/members/<int:user_id>/report", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_REPORT", per_user=True)
@login_required
def report_a_person(slug, user_id):
    """Report a fellow member of a group one takes part in."""
    group = get_group(slug, need=can_take_part)
    person = db.session.scalar(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == group.id,
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    if person is None:
        abort(404)
    if not can_report_person(current_user, group, person.id):
        abort(403)
    return report_form(
        url_for("reports.report_a_person", slug=group.slug, user_id=person.id),
        _("Report %(name)s in %(group)s", name=person.name, group=group.name),
        url_for("groups.detail", slug=group.slug),
        lambda details: report_person(current_user, group, person, details),
        group,
    )


@bp.get("/reports")
@login_required
def mine():
    """Your reports: what you reported and what became of it (never who else did)."""
    page = paginate(reports_of(current_user), per_page=PER_PAGE)
    return render("reports/mine.html", "reports/_mine.html", page=page)
