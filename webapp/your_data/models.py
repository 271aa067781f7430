"""A request to download one's data: its state, and the zip's storage key once built."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class ExportState(LabelledEnum):
    PENDING = "pending", _l("Waiting to start")
    BUILDING = "building", _l("Being built")
    READY = "ready", _l("Ready to download")
    FAILED = "failed", _l("Could not be built")


# A request still on its way: one per user at a time (a partial unique index).
UNDER_WAY = sa.text("state IN ('pending', 'building')")


class DataExport(db.Model):
    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[ExportState] = mapped_column(
        EnumText(ExportState, 10), default=ExportState.PENDING
    )
    # A key the server made (webapp.storage.new_key); set once the zip is stored.
    storage_key: Mapped[str | None] = mapped_column(sa.String(100), nullable=True)
    size: Mapped[int | None] = mapped_column(sa.BigInteger, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    ready_at = mapped_column(UTCDateTime, nullable=True)
    expires_at = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        one_of("state", ExportState),
        sa.Index(
            "uq_data_exports_one_under_way",
            "user_id",
            unique=True,
            postgresql_where=UNDER_WAY,
            sqlite_where=UNDER_WAY,
        ),
    )

    @property
    def is_finished(self):
        return self.state in (ExportState.READY, ExportState.FAILED)

    def is_downloadable(self, now=None):
        return (
            self.state == ExportState.READY
            and self.storage_key is not None
            and (now or utcnow()) < self.expires_at
        )
