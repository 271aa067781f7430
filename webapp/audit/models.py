"""The audit log's row and its one vocabulary of actions."""

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.vocabulary import EnumText, LabelledEnum

if TYPE_CHECKING:
    # The audit log sits below accounts (whose command writes to it): its row names
    # the actor's class by name, which the mapper resolves once both are loaded.
    from webapp.accounts.models import User


class AuditAction(LabelledEnum):
    """Everything the log records; each label reads after the actor's name."""

    # A group and its members (these were the group history's, with the same values).
    CREATED = "created", "created the group"
    SETTINGS_CHANGED = "settings_changed", "changed the group's settings"
    DELETED = "deleted", "deleted the group"
    JOINED = "joined", "joined"
    REQUESTED = "requested", "asked to join"
    LEFT = "left", "left"
    WITHDREW = "withdrew", "withdrew the request to join"
    APPROVED = "approved", "approved the request of"
    DECLINED = "declined", "declined the request of"
    ROLE_CHANGED = "role_changed", "changed the role of"
    REMOVED = "removed", "removed"
    OWNERSHIP_TRANSFERRED = "ownership_transferred", "handed ownership to"
    INVITED = "invited", "invited"
    INVITATION_RESENT = "invitation_resent", "resent the invitation to"
    INVITATION_REVOKED = "invitation_revoked", "revoked the invitation to"
    INVITATION_ACCEPTED = "invitation_accepted", "accepted an invitation"
    # Organisers on events.
    EVENT_PUBLISHED = "event_published", "published the event"
    EVENT_EDITED = "event_edited", "edited the event"
    EVENT_CANCELLED = "event_cancelled", "cancelled the event"
    EVENT_DELETED = "event_deleted", "deleted the event"
    ATTENDEE_REMOVED = "attendee_removed", "took off an event's list:"
    # Organisers on what is deleted for good: the log is all that is left of it.
    POLL_DELETED = "poll_deleted", "deleted the poll"
    TASK_DELETED = "task_deleted", "deleted the task"
    # Site admins.
    USER_DEACTIVATED = "user_deactivated", "deactivated the account of"
    USER_REACTIVATED = "user_reactivated", "reactivated the account of"
    ADMIN_GRANTED = "admin_granted", "made a site admin:"
    ADMIN_REVOKED = "admin_revoked", "took site admin away from"
    GROUP_SUSPENDED = "group_suspended", "suspended the group"
    GROUP_RESTORED = "group_restored", "restored the group"
    MESSAGE_RETRIED = "message_retried", "retried the email"
    MESSAGE_DISCARDED = "message_discarded", "discarded the email"
    JOB_RETRIED = "job_retried", "retried the failed job"
    JOB_DISCARDED = "job_discarded", "discarded the failed job"


class SubjectType(LabelledEnum):
    USER = "user", "Person"
    GROUP = "group", "Group"
    EVENT = "event", "Event"
    POLL = "poll", "Poll"
    TASK = "task", "Task"
    MESSAGE = "message", "Email"
    JOB = "job", "Job"


class AuditEntry(db.Model):
    """One action: actor, action, on what (type and id, and the group when there is one),
    with what the reader needs to know of it then (names, addresses) in data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # No check constraint: the vocabulary grows with features, and a downgrade of one
    # must not refuse the rows of another.
    action: Mapped[AuditAction] = mapped_column(EnumText(AuditAction, 40))
    subject_type: Mapped[SubjectType] = mapped_column(EnumText(SubjectType, 20))
    subject_id: Mapped[int | None] = mapped_column(sa.BigInteger, nullable=True)
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=True
    )
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])

    __table_args__ = (
        # A group's history, newest first; the admin's list, newest first.
        sa.Index("ix_audit_log_group_created", "group_id", "created_at", "id"),
        sa.Index("ix_audit_log_created", "created_at", "id"),
        sa.Index("ix_audit_log_action_created", "action", "created_at"),
    )

    @property
    def subject_name(self):
        return self.data.get("name") or self.data.get("email") or ""

    @property
    def detail(self):
        return self.data.get("detail", "")
