"""Reports: a member tells a group's organisers (or the site admins) that a comment, an
event, a person or a group's discussion is not right there.

A report names its thing by kind and id (subject_id), and also by a foreign key of that
kind, so that it goes with what it is about. One per reporter and thing: the unique key
decides a race. The reports of one thing are one case: resolving it resolves them all.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.discussions.models import Comment, Discussion
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of

DETAIL_MAX = 1000


class ReportKind(LabelledEnum):
    COMMENT = "comment", _l("A comment")
    EVENT = "event", _l("An event")
    PERSON = "person", _l("A person")
    DISCUSSION = "discussion", _l("A discussion")


class ReportReason(LabelledEnum):
    SPAM = "spam", _l("Spam")
    HARASSMENT = "harassment", _l("Harassment or abuse")
    OFF_TOPIC = "off_topic", _l("Off-topic")
    OTHER = "other", _l("Something else")


class ReportState(LabelledEnum):
    OPEN = "open", _l("Waiting for the organisers")
    PASSED_UP = "passed_up", _l("Waiting for the site admins")
    RESOLVED = "resolved", _l("Resolved")


class ReportOutcome(LabelledEnum):
    HIDDEN = "hidden", _l("Hidden")
    REMOVED = "removed", _l("Removed from the group")
    DEACTIVATED = "deactivated", _l("Account deactivated")
    DISMISSED = "dismissed", _l("Looked at, and left as it is")


# The column of each kind's foreign key.
SUBJECT_COLUMNS = {
    ReportKind.COMMENT: "comment_id",
    ReportKind.EVENT: "event_id",
    ReportKind.PERSON: "person_id",
    ReportKind.DISCUSSION: "discussion_id",
}
WAITING = (ReportState.OPEN, ReportState.PASSED_UP)


def _subject_matches():
    """kind names the one foreign key that is set, and subject_id is its value."""
    return " OR ".join(
        f"(kind = '{kind.value}' AND {column} = subject_id)"
        for kind, column in SUBJECT_COLUMNS.items()
    )


class Report(db.Model):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    # A deleted account's reports stay for the case; they just name nobody.
    reporter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    kind: Mapped[ReportKind] = mapped_column(EnumText(ReportKind, 12))
    subject_id: Mapped[int] = mapped_column()
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=True
    )
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=True
    )
    person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True
    )
    discussion_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("discussions.id", ondelete="CASCADE"), nullable=True
    )
    # Who is behind the thing (the person, the comment's author, the event's maker...),
    # when the report was made: whether it went to the organisers or past them.
    about_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    reason: Mapped[ReportReason] = mapped_column(EnumText(ReportReason, 20))
    detail: Mapped[str] = mapped_column(sa.String(DETAIL_MAX), default="")
    state: Mapped[ReportState] = mapped_column(EnumText(ReportState, 12), default=ReportState.OPEN)
    outcome: Mapped[ReportOutcome | None] = mapped_column(
        EnumText(ReportOutcome, 12), nullable=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    passed_up_at = mapped_column(UTCDateTime, nullable=True)
    acted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    acted_at = mapped_column(UTCDateTime, nullable=True)

    group: Mapped[Group] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    acted_by: Mapped[User | None] = relationship(foreign_keys=[acted_by_id])
    comment: Mapped[Comment | None] = relationship()
    event: Mapped[Event | None] = relationship()
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    discussion: Mapped[Discussion | None] = relationship()

    __table_args__ = (
        one_of("kind", ReportKind),
        one_of("reason", ReportReason),
        one_of("state", ReportState),
        sa.CheckConstraint(_subject_matches(), name="subject_matches"),
        sa.CheckConstraint(
            "(state = 'resolved') = (outcome IS NOT NULL)", name="resolved_with_outcome"
        ),
        # Nobody reports the same thing twice (a person: in the same group).
        sa.UniqueConstraint(
            "reporter_id", "group_id", "kind", "subject_id", name="uq_reports_one_per_reporter"
        ),
        # A group's waiting cases, and the admins' (the same thing's reports together).
        sa.Index("ix_reports_case", "group_id", "kind", "subject_id", "state"),
        sa.Index("ix_reports_state_created", "state", "created_at"),
    )

    @property
    def case(self):
        """What the report is about, as the reports of one thing share it."""
        return (self.group_id, self.kind, self.subject_id)

    @property
    def is_waiting(self):
        return self.state in WAITING
