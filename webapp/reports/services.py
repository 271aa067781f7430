"""The report rules: filing one, and deciding a case (every waiting report of one thing)
by hiding it, removing the person behind it from the group, dismissing it, or passing it
up to the site admins. They flush and raise RuleError; the request commits.

"One per reporter and thing" is the unique key: the losing insert of a race (or a second
try) is a friendly answer. Deciding is one conditional UPDATE of the case's waiting
reports, so two organisers deciding at once cannot both win: the second hears why.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.audit.models import AuditAction, SubjectType
from webapp.audit.services import log_action
from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.discussions.moderation import hide_comment, hide_discussion
from webapp.extensions import db
from webapp.groups.membership import current_membership, remove_member
from webapp.reports.access import is_manager_of
from webapp.reports.mailing import mail_admins, mail_organisers, mail_outcome
from webapp.reports.models import (
    DETAIL_MAX,
    SUBJECT_COLUMNS,
    WAITING,
    Report,
    ReportKind,
    ReportOutcome,
    ReportReason,
    ReportState,
)
from webapp.reports.naming import subject_name
from webapp.web.translating import gettext as _


@dataclass(frozen=True)
class ReportDetails:
    reason: str
    detail: str = ""


def report_comment(actor, comment, details):
    """actor reports a comment: to the organisers of its thread's group."""
    group_id = comment.discussion.group_id
    return _file(actor, group_id, ReportKind.COMMENT, comment.id, comment.author_id, details)


def report_event(actor, event, details):
    return _file(actor, event.group_id, ReportKind.EVENT, event.id, event.created_by_id, details)


def report_person(actor, group, person, details):
    """actor reports a fellow member of group (a person is reported in a group)."""
    if person.id == actor.id:
        raise RuleError(_("You cannot report yourself."))
    membership = current_membership(person, group)
    if membership is None or not membership.is_active:
        raise RuleError(_("%(name)s is not a member of this group.", name=person.name))
    return _file(actor, group.id, ReportKind.PERSON, person.id, person.id, details)


def report_discussion(actor, discussion, details):
    return _file(
        actor,
        discussion.group_id,
        ReportKind.DISCUSSION,
        discussion.id,
        discussion.started_by_id,
        details,
    )


def _checked(details):
    if details.reason not in ReportReason.values():
        raise RuleError(_("Choose a reason from the list."), "reason")
    detail = (details.detail or "").strip()
    if len(detail) > DETAIL_MAX:
        raise RuleError(_("At most %(count)d characters, please.", count=DETAIL_MAX), "detail")
    if details.reason == ReportReason.OTHER and not detail:
        raise RuleError(_("Say what is wrong, in a few words."), "detail")
    return ReportReason(details.reason), detail


def _waiting_state_of(group_id, kind, subject_id):
    """The state of the case's waiting reports, if it has some."""
    return db.session.scalar(
        sa.select(Report.state)
        .where(*_case(group_id, kind, subject_id), Report.state.in_(WAITING))
        .order_by(Report.state.desc())
        .limit(1)
    )


def _case(group_id, kind, subject_id):
    return Report.group_id == group_id, Report.kind == kind, Report.subject_id == subject_id


def _file(actor, group_id, kind, subject_id, about_user_id, details):
    """One report; a new case mails those who decide it."""
    reason, detail = _checked(details)
    waiting = _waiting_state_of(group_id, kind, subject_id)
    past_organisers = waiting == ReportState.PASSED_UP or is_manager_of(about_user_id, group_id)
    now = utcnow()
    written = insert_or_ignore(
        Report,
        group_id=group_id,
        reporter_id=actor.id,
        kind=kind.value,
        subject_id=subject_id,
        about_user_id=about_user_id,
        reason=reason.value,
        detail=detail,
        state=(ReportState.PASSED_UP if past_organisers else ReportState.OPEN).value,
        passed_up_at=now if past_organisers else None,
        created_at=now,
        **{SUBJECT_COLUMNS[kind]: subject_id},
    )
    if not written:
        raise RuleError(_("You have already reported this. Thank you: it is being looked at."))
    report = db.session.scalar(
        sa.select(Report).where(Report.reporter_id == actor.id, *_case(group_id, kind, subject_id))
    )
    log_action(
        actor,
        AuditAction.REPORT_FILED,
        SubjectType.REPORT,
        report.id,
        # Not in the group's history, which its organisers read: a report names its
        # reporter to the site admins alone.
        None,
        name=subject_name(report),
        detail=report.group.name,
    )
    db.session.flush()
    if waiting is None:
        (mail_admins if past_organisers else mail_organisers)(report)
    return report


def _settle(actor, report, states, values):
    """Set values on the case's reports in states (one UPDATE); the reports changed, or
    RuleError when another decision came first."""
    changed = db.session.scalars(
        sa.update(Report)
        .where(*_case(*report.case), Report.state.in_(states))
        .values(acted_by_id=actor.id, acted_at=utcnow(), **values)
        .returning(Report.id)
    ).all()
    if not changed:
        raise RuleError(_("Someone has just decided this report."))
    db.session.expire_all()
    return db.session.scalars(sa.select(Report).where(Report.id.in_(changed))).all()


def _deciding(actor):
    """The states a decision by actor covers: organisers the open ones, admins all."""
    return WAITING if actor.is_site_admin else (ReportState.OPEN,)


def _resolve(actor, report, outcome):
    name = subject_name(report)
    decided = _settle(
        actor, report, _deciding(actor), {"state": ReportState.RESOLVED, "outcome": outcome}
    )
    log_action(
        actor,
        AuditAction.REPORT_DISMISSED
        if outcome == ReportOutcome.DISMISSED
        else AuditAction.REPORT_RESOLVED,
        SubjectType.REPORT,
        report.id,
        report.group_id,
        name=name,
        detail=str(outcome.label),
        reports=len(decided),
    )
    db.session.flush()
    for each in decided:
        mail_outcome(each)
    return decided


def dismiss_report(actor, report):
    """Nothing to do: the case's reports are resolved as they are."""
    return _resolve(actor, report, ReportOutcome.DISMISSED)


def hide_reported(actor, report):
    """Hide the reported comment or discussion (the discussions' own rules, logged there)."""
    if report.kind == ReportKind.COMMENT and report.comment is not None:
        decided = _resolve(actor, report, ReportOutcome.HIDDEN)
        hide_comment(actor, report.comment)
        return decided
    if report.kind == ReportKind.DISCUSSION and report.discussion is not None:
        decided = _resolve(actor, report, ReportOutcome.HIDDEN)
        hide_discussion(actor, report.discussion, True)
        return decided
    raise RuleError(_("Only a comment or a discussion can be hidden from here."))


def person_behind(report):
    """The person a report is about, or who wrote the thing (None: a former member)."""
    if report.about_user_id is None:
        return None
    return db.session.get(User, report.about_user_id)


def remove_reported(actor, report):
    """Remove the person behind the thing from the group (the groups' own rule)."""
    person = person_behind(report)
    membership = current_membership(person, report.group) if person is not None else None
    if membership is None:
        raise RuleError(_("This person is no longer in the group."))
    decided = _resolve(actor, report, ReportOutcome.REMOVED)
    remove_member(actor, report.group, membership)
    return decided


def resolve_deactivated(actor, report):
    """After a site admin deactivated the person behind the thing (admin.services)."""
    return _resolve(actor, report, ReportOutcome.DEACTIVATED)


def pass_up(actor, report):
    """Organisers hand a case to the site admins."""
    _settle(
        actor,
        report,
        (ReportState.OPEN,),
        {"state": ReportState.PASSED_UP, "passed_up_at": utcnow()},
    )
    log_action(
        actor,
        AuditAction.REPORT_PASSED_UP,
        SubjectType.REPORT,
        report.id,
        report.group_id,
        name=subject_name(report),
    )
    db.session.flush()
    mail_admins(db.session.get(Report, report.id))
