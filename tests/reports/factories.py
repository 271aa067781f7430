"""Reports for tests, straight in the database (and comments to report: the discussions'
own factory)."""

from typing import NamedTuple

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.discussions.factories import make_comment
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.reports.models import Report, ReportKind, ReportReason, ReportState

SUBJECT_OF = {
    ReportKind.COMMENT: "comment_id",
    ReportKind.EVENT: "event_id",
    ReportKind.PERSON: "person_id",
    ReportKind.DISCUSSION: "discussion_id",
}


def make_report(
    group,
    reporter,
    kind,
    subject_id,
    about_user_id=None,
    state=ReportState.OPEN,
    reason=ReportReason.SPAM,
    detail="",
):
    """A committed report of group's about kind subject_id."""
    report = Report(
        group_id=group.id,
        reporter_id=reporter.id,
        kind=kind,
        subject_id=subject_id,
        about_user_id=about_user_id,
        reason=reason,
        detail=detail,
        state=state,
        passed_up_at=utcnow() if state == ReportState.PASSED_UP else None,
        **{SUBJECT_OF[kind]: subject_id},
    )
    db.session.add(report)
    db.session.commit()
    return report


class Room(NamedTuple):
    """A group's people by email and id, an event, and a comment by a member."""

    slug: str
    group_id: int
    owner: str
    organiser: str
    organiser_id: int
    members: list
    member_ids: list
    outsider: str
    event_id: int
    comment_id: int


def make_room(members=3, visibility="public"):
    """An owner's group with an organiser and members, an event by the owner, and a
    comment under it by the first member; call in an app context."""
    owner = make_user(first_name="Olga")
    group = make_group(owner, visibility=visibility)
    organiser = make_user(first_name="Oren", last_name="Ash")
    add_member(group, organiser, role="organiser")
    people = [
        add_member(group, make_user(first_name=f"Mem{n}", last_name="Lee")).user
        for n in range(members)
    ]
    event = make_event(group, title="Lantern walk", created_by_id=owner.id)
    comment = make_comment(event, people[0], "Buy cheap pills at example.com")
    return Room(
        group.slug,
        group.id,
        owner.email,
        organiser.email,
        organiser.id,
        [p.email for p in people],
        [p.id for p in people],
        make_user().email,
        event.id,
        comment.id,
    )


def reports_about(kind, subject_id):
    return db.session.scalars(
        sa.select(Report)
        .where(Report.kind == kind, Report.subject_id == subject_id)
        .order_by(Report.id)
    ).all()
