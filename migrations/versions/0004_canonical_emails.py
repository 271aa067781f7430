"""canonical email addresses: recompute the stored forms with webapp.web.addresses

Revision ID: 0004_canonical_emails
Revises: 0003_outbox
Create Date: 2026-11-22 12:20:00

Rows saved before 0004 kept `address.strip().lower()`; look-ups now use the canonical
form (NFKC, case-folded, IDNA domain), so a fullwidth or `ß` address would no longer be
found. Two accounts that turn out to be one mailbox make the unique index refuse this
upgrade, loudly, rather than merge people.
"""

import contextlib
import unicodedata

import idna
import sqlalchemy as sa
from alembic import op

revision = "0004_canonical_emails"
down_revision = "0003_outbox"
branch_labels = None
depends_on = None

# As webapp.web.addresses.canonical_email was when this ran: a migration must not change
# with later code.
_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def _canonical(address):
    text = unicodedata.normalize("NFKC", address or "").strip().translate(_FULL_STOPS).casefold()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    with contextlib.suppress(idna.IDNAError, UnicodeError, ValueError):
        domain = idna.decode(idna.encode(domain, uts46=True))
    return f"{local}@{domain}"


def _recompute(table):
    rows = sa.table(table, sa.column("id"), sa.column("email"), sa.column("email_normalized"))
    connection = op.get_bind()
    for row_id, email, stored in connection.execute(
        sa.select(rows.c.id, rows.c.email, rows.c.email_normalized)
    ):
        canonical = _canonical(email)
        if canonical != stored:
            connection.execute(
                rows.update().where(rows.c.id == row_id).values(email_normalized=canonical)
            )


def upgrade():
    _recompute("users")
    _recompute("invitations")


def downgrade():
    # The canonical form is a valid stored form for the older code too: nothing to undo.
    pass
