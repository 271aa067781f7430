"""The digest: how often each person wants it, the groups they leave out of it, which
periods' digests went out, and which items each person has already been told of.

No setting row means weekly. A period's digest is one row in digest_sends, keyed by the
person and the period, written in the transaction that writes its email: a job that runs
twice, or two workers at once, find the row and send nothing. Each item a digest told of
(an event, a poll, a task...) is a row in digest_items, so no later digest repeats it.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class Frequency(LabelledEnum):
    WEEKLY = "weekly", _l("Weekly, on Monday morning")
    DAILY = "daily", _l("Daily, every morning")
    OFF = "off", _l("Never")


DEFAULT_FREQUENCY = Frequency.WEEKLY


class DigestSetting(db.Model):
    """How often one person gets the digest, when not weekly."""

    __tablename__ = "digest_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    frequency: Mapped[Frequency] = mapped_column(EnumText(Frequency, 10))
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    __table_args__ = (one_of("frequency", Frequency),)


class DigestGroupLeftOut(db.Model):
    """A group one person wants nothing of in their digest."""

    __tablename__ = "digest_groups_left_out"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DigestSend(db.Model):
    """One person's digest of one period: written once, with its email or without one when
    there was nothing to tell."""

    __tablename__ = "digest_sends"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # "weekly:2026-11-23" or "daily:2026-11-26": the frequency and the period's first local day.
    period: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    item_count: Mapped[int] = mapped_column(default=0)
    sent_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


class DigestItem(db.Model):
    """Something a digest told one person of ("event:12", "poll:3"), never told again."""

    __tablename__ = "digest_items"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    sent_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
