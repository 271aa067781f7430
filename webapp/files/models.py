"""A file uploaded to an event: the name people read, what it is, and where its bytes are."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.events.models import Event
from webapp.extensions import db
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class FileKind(LabelledEnum):
    IMAGE = "image", _l("Image")
    DOCUMENT = "document", _l("Document")
    TEXT = "text", _l("Text")


class StoredFile(db.Model):
    __tablename__ = "stored_files"
    __table_args__ = (
        one_of("kind", FileKind),
        sa.CheckConstraint("size >= 0", name="size"),
        sa.Index("ix_stored_files_event_created", "event_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    # The uploader may leave the site; the file stays with the event.
    uploader_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The uploaded name, cleaned for display and downloads; never a storage path.
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[FileKind] = mapped_column(EnumText(FileKind, 10))
    # As found in the content (not as the browser said).
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    # Set by the thumbnail job, for images.
    thumbnail_key: Mapped[str | None] = mapped_column(sa.String(100), nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    event: Mapped[Event] = relationship(lazy="raise")
    uploader: Mapped[User | None] = relationship(lazy="raise")

    @property
    def is_image(self):
        return self.kind == FileKind.IMAGE
