"""An outgoing message and the states it moves through."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class OutboxState(LabelledEnum):
    """pending -> sending -> sent; a send that fails goes back to pending until the retries
    run out, then failed. An operator may discard a pending or failed message."""

    PENDING = "pending", _l("Waiting to be sent")
    SENDING = "sending", _l("Being sent")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")
    DISCARDED = "discarded", _l("Discarded")


WITH_KEY = sa.text("coalesce_key IS NOT NULL")
IN_BULK = sa.text("bulk_key IS NOT NULL")
WAITING_WITH_KEY = sa.text("coalesce_key IS NOT NULL AND state = 'pending'")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What caused it (the template's name: verify_email, group_invitation, reminder...).
    kind: Mapped[str] = mapped_column(sa.String(64))
    recipient: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(255))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text, default="")
    # Set for a message whose bodies the delivering worker renders (webapp.outbox.rendering):
    # what the renderer of its kind needs, as JSON. The bodies stay empty until then.
    render_args = mapped_column(sa.JSON(none_as_null=True), nullable=True)
    # Its Message-ID, made when it is written and sent with every attempt, so that a
    # repeat (a worker that died after the server took it) is recognisable as one.
    message_id: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)
    # For mail a person can turn off: the one-click address that turns this kind off for
    # them, sent as List-Unsubscribe (RFC 2369, RFC 8058). None for account mail.
    list_unsubscribe: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    # Text files sent with it, as a list of {"filename", "content_type", "params",
    # "content"} (a calendar update: text/calendar with its method). Cleared once sent,
    # with the bodies.
    attachments = mapped_column(sa.JSON(none_as_null=True), nullable=True)
    # Messages that stand for one another (one person's notices of one event's changes):
    # while one of a key waits, news of the same key updates it rather than adding another
    # (coalescing.py). The unique index below holds it to one.
    coalesce_key: Mapped[str | None] = mapped_column(sa.String(120), nullable=True)
    # Set for one message of a send to many (an announcement: "announcement:42"): it is
    # delivered from the bulk queue, after any other mail, and counted with its send.
    bulk_key: Mapped[str | None] = mapped_column(sa.String(60), nullable=True)
    state: Mapped[OutboxState] = mapped_column(
        EnumText(OutboxState, 10), default=OutboxState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # When the sweep should (re)queue it if nobody has sent it by then.
    next_attempt_at = mapped_column(UTCDateTime, nullable=False)
    claimed_at = mapped_column(UTCDateTime, nullable=True)
    sent_at = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        one_of("state", OutboxState),
        # The sweep's question: what is pending and due, what is stuck in sending.
        sa.Index("ix_outbox_messages_state_next_attempt_at", "state", "next_attempt_at"),
        # At most one message of a key waits; and when the last ones of a key went.
        sa.Index(
            "uq_outbox_messages_waiting_key",
            "coalesce_key",
            unique=True,
            postgresql_where=WAITING_WITH_KEY,
            sqlite_where=WAITING_WITH_KEY,
        ),
        sa.Index(
            "ix_outbox_messages_bulk_state",
            "bulk_key",
            "state",
            postgresql_where=IN_BULK,
            sqlite_where=IN_BULK,
        ),
        sa.Index(
            "ix_outbox_messages_key_sent",
            "coalesce_key",
            "sent_at",
            postgresql_where=WITH_KEY,
            sqlite_where=WITH_KEY,
        ),
    )

    def __repr__(self):
        return f"<OutboxMessage {self.id} {self.kind} {self.state}>"
