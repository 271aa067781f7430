"""The audit log's row and its one vocabulary of actions."""

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum

if TYPE_CHECKING:
    # The audit log sits below accounts (whose command writes to it): its row names
    # the actor's class by name, which the mapper resolves once both are loaded.
    from webapp.accounts.models import User


class AuditAction(LabelledEnum):
    """Everything the log records; each label reads after the actor's name (the filter's
    choices). A row is read as one sentence: what_happened."""

    # A group and its members (these were the group history's, with the same values).
    CREATED = "created", _l("created the group")
    SETTINGS_CHANGED = "settings_changed", _l("changed the group's settings")
    DELETED = "deleted", _l("deleted the group")
    JOINED = "joined", _l("joined")
    REQUESTED = "requested", _l("asked to join")
    LEFT = "left", _l("left")
    WITHDREW = "withdrew", _l("withdrew the request to join")
    APPROVED = "approved", _l("approved the request of")
    DECLINED = "declined", _l("declined the request of")
    ROLE_CHANGED = "role_changed", _l("changed the role of")
    REMOVED = "removed", _l("removed")
    OWNERSHIP_TRANSFERRED = "ownership_transferred", _l("handed ownership to")
    INVITED = "invited", _l("invited")
    INVITATION_RESENT = "invitation_resent", _l("resent the invitation to")
    INVITATION_REVOKED = "invitation_revoked", _l("revoked the invitation to")
    INVITATION_ACCEPTED = "invitation_accepted", _l("accepted an invitation")
    # Organisers on events.
    EVENT_PUBLISHED = "event_published", _l("published the event")
    EVENT_EDITED = "event_edited", _l("edited the event")
    EVENT_CANCELLED = "event_cancelled", _l("cancelled the event")
    EVENT_DELETED = "event_deleted", _l("deleted the event")
    ATTENDEE_REMOVED = "attendee_removed", _l("took off an event's list:")
    # The event's title is the row's detail.
    COHOST_ADDED = "cohost_added", _l("made an event's co-host:")
    COHOST_REMOVED = "cohost_removed", _l("removed an event's co-host:")
    # Organisers on what is deleted for good: the log is all that is left of it.
    POLL_DELETED = "poll_deleted", _l("deleted the poll")
    TASK_DELETED = "task_deleted", _l("deleted the task")
    # Organisers keeping talk in order; the comment's author is the subject, the thread
    # the detail.
    COMMENT_HIDDEN = "comment_hidden", _l("hid a comment by")
    COMMENT_SHOWN = "comment_shown", _l("showed again a comment by")
    DISCUSSION_LOCKED = "discussion_locked", _l("closed to new comments:")
    DISCUSSION_UNLOCKED = "discussion_unlocked", _l("opened again to comments:")
    DISCUSSION_HIDDEN = "discussion_hidden", _l("hid the discussion")
    DISCUSSION_SHOWN = "discussion_shown", _l("showed again the discussion")
    # Reports: a member's (kept out of the group's history: it names the reporter), and
    # the decisions on them; what was reported is the subject, the outcome the detail.
    REPORT_FILED = "report_filed", _l("reported")
    REPORT_RESOLVED = "report_resolved", _l("decided the reports about")
    REPORT_DISMISSED = "report_dismissed", _l("dismissed the reports about")
    REPORT_PASSED_UP = "report_passed_up", _l("passed up to the site admins the reports about")
    # Organisers telling members.
    ANNOUNCEMENT_SENT = "announcement_sent", _l("sent the announcement")
    ANNOUNCEMENT_WITHDRAWN = "announcement_withdrawn", _l("withdrew the announcement")
    ANNOUNCEMENT_MEMBERS_ONLY = (
        "announcement_members_only",
        _l("made members-only the announcement"),
    )
    # Site admins.
    USER_DEACTIVATED = "user_deactivated", _l("deactivated the account of")
    USER_REACTIVATED = "user_reactivated", _l("reactivated the account of")
    ADMIN_GRANTED = "admin_granted", _l("made a site admin:")
    ADMIN_REVOKED = "admin_revoked", _l("took site admin away from")
    GROUP_SUSPENDED = "group_suspended", _l("suspended the group")
    GROUP_RESTORED = "group_restored", _l("restored the group")
    MESSAGE_RETRIED = "message_retried", _l("retried the email")
    MESSAGE_DISCARDED = "message_discarded", _l("discarded the email")
    JOB_RETRIED = "job_retried", _l("retried the failed job")
    JOB_DISCARDED = "job_discarded", _l("discarded the failed job")


class SubjectType(LabelledEnum):
    USER = "user", _l("Person")
    GROUP = "group", _l("Group")
    EVENT = "event", _l("Event")
    POLL = "poll", _l("Poll")
    TASK = "task", _l("Task")
    ANNOUNCEMENT = "announcement", _l("Announcement")
    COMMENT = "comment", _l("Comment")
    DISCUSSION = "discussion", _l("Discussion")
    REPORT = "report", _l("Report")
    MESSAGE = "message", _l("Email")
    JOB = "job", _l("Job")


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

    @property
    def shows_subject(self):
        """Whether the sentence names the subject: not a group (the page shows it apart),
        nor the actor themselves (they joined, they left)."""
        if self.subject_type == SubjectType.GROUP:
            return False
        return not (self.subject_type == SubjectType.USER and self.subject_id == self.actor_id)

    def what_happened(self):
        """The row as one sentence, in the request's language: "Ana removed Bo"."""
        actor = self.actor.name if self.actor else _("Someone")
        sentence = _WITH_SUBJECT.get(self.action) if self.shows_subject else None
        # An action on oneself that usually names someone else names oneself.
        sentence = sentence or _WITHOUT_SUBJECT.get(self.action) or _WITH_SUBJECT[self.action]
        return sentence(actor, self.subject_name)


# Whole sentences, so that a translation may put the actor and the subject where its
# language wants them. An action whose subject is the group or the actor reads without it.
_WITHOUT_SUBJECT = {
    AuditAction.CREATED: lambda a, s: _("%(actor)s created the group", actor=a),
    AuditAction.SETTINGS_CHANGED: lambda a, s: _("%(actor)s changed the group's settings", actor=a),
    AuditAction.DELETED: lambda a, s: _("%(actor)s deleted the group", actor=a),
    AuditAction.JOINED: lambda a, s: _("%(actor)s joined", actor=a),
    AuditAction.REQUESTED: lambda a, s: _("%(actor)s asked to join", actor=a),
    AuditAction.LEFT: lambda a, s: _("%(actor)s left", actor=a),
    AuditAction.WITHDREW: lambda a, s: _("%(actor)s withdrew the request to join", actor=a),
    AuditAction.INVITATION_ACCEPTED: lambda a, s: _("%(actor)s accepted an invitation", actor=a),
    AuditAction.GROUP_SUSPENDED: lambda a, s: _("%(actor)s suspended the group", actor=a),
    AuditAction.GROUP_RESTORED: lambda a, s: _("%(actor)s restored the group", actor=a),
}
# TRANSLATORS: in these sentences actor is a person's name, and subject the name of what
# they acted on: a person (or an address), an event, a poll, a task, an email's subject or
# a job.
_WITH_SUBJECT = {
    AuditAction.APPROVED: lambda a, s: _(
        "%(actor)s approved the request of %(subject)s", actor=a, subject=s
    ),
    AuditAction.DECLINED: lambda a, s: _(
        "%(actor)s declined the request of %(subject)s", actor=a, subject=s
    ),
    AuditAction.ROLE_CHANGED: lambda a, s: _(
        "%(actor)s changed the role of %(subject)s", actor=a, subject=s
    ),
    AuditAction.REMOVED: lambda a, s: _("%(actor)s removed %(subject)s", actor=a, subject=s),
    AuditAction.OWNERSHIP_TRANSFERRED: lambda a, s: _(
        "%(actor)s handed ownership to %(subject)s", actor=a, subject=s
    ),
    AuditAction.INVITED: lambda a, s: _("%(actor)s invited %(subject)s", actor=a, subject=s),
    AuditAction.ANNOUNCEMENT_SENT: lambda a, s: _(
        "%(actor)s sent the announcement %(subject)s", actor=a, subject=s
    ),
    AuditAction.ANNOUNCEMENT_WITHDRAWN: lambda a, s: _(
        "%(actor)s withdrew the announcement %(subject)s", actor=a, subject=s
    ),
    AuditAction.ANNOUNCEMENT_MEMBERS_ONLY: lambda a, s: _(
        "%(actor)s made members-only the announcement %(subject)s", actor=a, subject=s
    ),
    AuditAction.INVITATION_RESENT: lambda a, s: _(
        "%(actor)s resent the invitation to %(subject)s", actor=a, subject=s
    ),
    AuditAction.INVITATION_REVOKED: lambda a, s: _(
        "%(actor)s revoked the invitation to %(subject)s", actor=a, subject=s
    ),
    AuditAction.COMMENT_HIDDEN: lambda a, s: _(
        "%(actor)s hid a comment by %(subject)s", actor=a, subject=s
    ),
    AuditAction.COMMENT_SHOWN: lambda a, s: _(
        "%(actor)s showed again a comment by %(subject)s", actor=a, subject=s
    ),
    AuditAction.DISCUSSION_LOCKED: lambda a, s: _(
        "%(actor)s closed to new comments: %(subject)s", actor=a, subject=s
    ),
    AuditAction.DISCUSSION_UNLOCKED: lambda a, s: _(
        "%(actor)s opened again to comments: %(subject)s", actor=a, subject=s
    ),
    AuditAction.DISCUSSION_HIDDEN: lambda a, s: _(
        "%(actor)s hid the discussion %(subject)s", actor=a, subject=s
    ),
    AuditAction.DISCUSSION_SHOWN: lambda a, s: _(
        "%(actor)s showed again the discussion %(subject)s", actor=a, subject=s
    ),
    AuditAction.REPORT_FILED: lambda a, s: _("%(actor)s reported %(subject)s", actor=a, subject=s),
    AuditAction.REPORT_RESOLVED: lambda a, s: _(
        "%(actor)s decided the reports about %(subject)s", actor=a, subject=s
    ),
    AuditAction.REPORT_DISMISSED: lambda a, s: _(
        "%(actor)s dismissed the reports about %(subject)s", actor=a, subject=s
    ),
    AuditAction.REPORT_PASSED_UP: lambda a, s: _(
        "%(actor)s passed up to the site admins the reports about %(subject)s",
        actor=a,
        subject=s,
    ),
    AuditAction.EVENT_PUBLISHED: lambda a, s: _(
        "%(actor)s published the event %(subject)s", actor=a, subject=s
    ),
    AuditAction.EVENT_EDITED: lambda a, s: _(
        "%(actor)s edited the event %(subject)s", actor=a, subject=s
    ),
    AuditAction.EVENT_CANCELLED: lambda a, s: _(
        "%(actor)s cancelled the event %(subject)s", actor=a, subject=s
    ),
    AuditAction.EVENT_DELETED: lambda a, s: _(
        "%(actor)s deleted the event %(subject)s", actor=a, subject=s
    ),
    AuditAction.ATTENDEE_REMOVED: lambda a, s: _(
        "%(actor)s took off an event's list: %(subject)s", actor=a, subject=s
    ),
    AuditAction.COHOST_ADDED: lambda a, s: _(
        "%(actor)s made an event's co-host: %(subject)s", actor=a, subject=s
    ),
    AuditAction.COHOST_REMOVED: lambda a, s: _(
        "%(actor)s removed an event's co-host: %(subject)s", actor=a, subject=s
    ),
    AuditAction.POLL_DELETED: lambda a, s: _(
        "%(actor)s deleted the poll %(subject)s", actor=a, subject=s
    ),
    AuditAction.TASK_DELETED: lambda a, s: _(
        "%(actor)s deleted the task %(subject)s", actor=a, subject=s
    ),
    AuditAction.USER_DEACTIVATED: lambda a, s: _(
        "%(actor)s deactivated the account of %(subject)s", actor=a, subject=s
    ),
    AuditAction.USER_REACTIVATED: lambda a, s: _(
        "%(actor)s reactivated the account of %(subject)s", actor=a, subject=s
    ),
    AuditAction.ADMIN_GRANTED: lambda a, s: _(
        "%(actor)s made a site admin: %(subject)s", actor=a, subject=s
    ),
    AuditAction.ADMIN_REVOKED: lambda a, s: _(
        "%(actor)s took site admin away from %(subject)s", actor=a, subject=s
    ),
    AuditAction.MESSAGE_RETRIED: lambda a, s: _(
        "%(actor)s retried the email %(subject)s", actor=a, subject=s
    ),
    AuditAction.MESSAGE_DISCARDED: lambda a, s: _(
        "%(actor)s discarded the email %(subject)s", actor=a, subject=s
    ),
    AuditAction.JOB_RETRIED: lambda a, s: _(
        "%(actor)s retried the failed job %(subject)s", actor=a, subject=s
    ),
    AuditAction.JOB_DISCARDED: lambda a, s: _(
        "%(actor)s discarded the failed job %(subject)s", actor=a, subject=s
    ),
}
