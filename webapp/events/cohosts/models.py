"""Who co-hosts an event: members of its group an organiser named to run that one event
with them (webapp.events.access says what they may do)."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db


class EventCohost(db.Model):
    """One member co-hosting one event. The key is the event and the person: two
    organisers naming the same person at once make one row. Gone with the event, the
    person's account, or their membership of the group (webapp.events.cohosts.services)."""

    __tablename__ = "event_cohosts"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    # The events someone co-hosts: their data download, and their leaving a group.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
