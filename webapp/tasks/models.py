"""Tasks of an event ("who brings what"), and each event's choice of who may add them.

A task is open (no assignee: anyone of the group may take it), taken (an assignee), or
done (done_at set, by its assignee). Taking is one conditional UPDATE (WHERE nobody has
it yet), so two people taking the same task at once cannot both win.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.events.models import Event
from webapp.extensions import db

TITLE_MAX = 150
NOTES_MAX = 2000
OPEN_TASK = sa.text("done_at IS NULL")


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    notes: Mapped[str] = mapped_column(sa.String(NOTES_MAX), default="")
    due_on = mapped_column(sa.Date, nullable=True)
    assignee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    done_at = mapped_column(UTCDateTime, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    event: Mapped[Event] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

    __table_args__ = (
        # Done means done by someone: giving a task back reopens it first.
        sa.CheckConstraint("done_at IS NULL OR assignee_id IS NOT NULL", name="done_by_someone"),
        # An event's tasks in the order the page lists them.
        sa.Index("ix_tasks_event", "event_id", "id"),
        # A person's open tasks, soonest due first ("My tasks").
        sa.Index(
            "ix_tasks_assignee_open",
            "assignee_id",
            "due_on",
            "id",
            postgresql_where=OPEN_TASK,
            sqlite_where=OPEN_TASK,
        ),
    )

    @property
    def is_open(self):
        return self.assignee_id is None

    @property
    def is_done(self):
        return self.done_at is not None

    def __repr__(self):
        return f"<Task {self.id} of event {self.event_id}>"


class TaskSettings(db.Model):
    """An event's task settings (no row: the defaults, organisers alone add tasks)."""

    __tablename__ = "event_task_settings"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    members_add: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
