"""Who may report what, and who decides a report.

Reporting takes an active member of the thing's group who may see the thing: a comment
they may read (not their own), a published event, a fellow active member. A removed
member reports no more. The group's organisers (and owners) decide the reports waiting
for them; reports about one of them (a person who is one, or what one wrote) go past
them, straight to the site admins, who decide every waiting report.
"""

import sqlalchemy as sa
from flask import abort, g

from webapp.discussions.access import can_read_comment, can_read_discussion
from webapp.events.access import can_see_event
from webapp.extensions import db
from webapp.groups.access import can_manage, can_take_part, is_site_admin
from webapp.groups.models import MANAGER_ROLES, Membership, MembershipStatus
from webapp.reports.models import Report, ReportState


def _not_theirs(user, author_id):
    return author_id is None or author_id != user.id


def can_report_comment(user, comment):
    group = comment.discussion.group
    return (
        can_read_comment(user, comment)
        and can_take_part(user, group)
        and not comment.is_removed
        and _not_theirs(user, comment.author_id)
    )


def can_report_event(user, event):
    return can_see_event(user, event) and not event.is_draft and can_take_part(user, event.group)


def can_report_discussion(user, discussion):
    return (
        can_read_discussion(user, discussion)
        and can_take_part(user, discussion.group)
        and _not_theirs(user, discussion.started_by_id)
    )


def can_report_person(user, group, person_id):
    return can_take_part(user, group) and person_id != user.id


def is_manager_of(user_id, group_id):
    """Whether user_id is an active owner or organiser of the group (a report about them
    goes to the site admins)."""
    if user_id is None:
        return False
    return bool(
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.group_id == group_id,
                Membership.user_id == user_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role.in_(MANAGER_ROLES),
            )
        )
    )


def can_decide_report(user, report):
    """The group's organisers decide open reports; site admins every waiting one."""
    if report.state == ReportState.PASSED_UP:
        return is_site_admin(user)
    return report.state == ReportState.OPEN and can_manage(user, report.group)


def managed_report(report_id):
    """An open report of the group the manage blueprint loaded (g.group), or 404."""
    report = db.session.get(Report, report_id)
    if report is None or report.group_id != g.group.id or report.state != ReportState.OPEN:
        abort(404)
    return report
