"""What every message carries on the wire, read as a mail client reads it (the email
parser in strict mode): a Date of the moment it was sent (RFC 5322), Auto-Submitted:
auto-generated (RFC 3834: no out-of-office reply comes back), and the Message-ID its
outbox row keeps for every attempt. A row that names a one-click unsubscribe address goes
out with List-Unsubscribe and List-Unsubscribe-Post (which kinds do: test_mail_as_received).

Every message goes out through webapp.outbox.transport.build, so a few kinds of mail,
sent by a real worker to a real SMTP server, stand for the rest.
"""

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import make_group
from tests.support.auth import create_user, login_data, signup_data
from webapp.extensions import db
from webapp.outbox.models import OutboxMessage
from webapp.outbox.services import add_message


def read_strictly(message):
    """The message as a strict client parses it: a malformed header raises."""
    return email.message_from_bytes(bytes(message), policy=email.policy.strict)


def stored_message_ids(app):
    with app.app_context():
        rows = sa.select(OutboxMessage.recipient, OutboxMessage.message_id)
        return dict(db.session.execute(rows).all())


def send_verification(app, client):
    assert client.submit("/signup", signup_data(email="vera@example.org")).status_code == 303
    return "vera@example.org", "verify_email"


def send_reset(app, client):
    create_user(app, email="rex@example.org")
    assert client.submit("/password/forgot", {"email": "rex@example.org"}).status_code == 303
    return "rex@example.org", "reset_password"


def send_invitation(app, client):
    with app.app_context():
        owner = make_user(email="olga@example.org")
        make_group(owner, name="Rowers", slug="rowers")
    assert client.submit("/login", login_data("olga@example.org")).status_code == 303
    invite = {"email": "ivan@example.org", "role": "member"}
    assert client.submit("/groups/rowers/manage/invitations", invite).status_code == 303
    return "ivan@example.org", "group_invitation"


@pytest.mark.parametrize("send", [send_verification, send_reset, send_invitation])
def test_each_message_carries_its_date_auto_submitted_and_its_rows_message_id(
    app, client, mailbox, send
):
    before = datetime.now(UTC).replace(microsecond=0)
    recipient, kind = send(app, client)

    message = read_strictly(mailbox.last(recipient))

    with app.app_context():
        row = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == recipient)
        )
        assert row.kind == kind
        assert message["Message-ID"] == row.message_id
    sent_at = parsedate_to_datetime(message["Date"])
    assert before <= sent_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert message["Auto-Submitted"] == "auto-generated"
    assert mailbox.text(message).strip()


def test_no_two_messages_share_a_message_id(app, client, mailbox):
    send_verification(app, client)
    send_reset(app, client)
    ids = [message["Message-ID"] for message in mailbox.messages()]
    assert len(ids) == 2
    assert len(set(ids)) == 2
    assert set(ids) == set(stored_message_ids(app).values())


def write_message(app, recipient, **fields):
    with app.app_context():
        add_message("a_kind", recipient, "Hello", "Some text.", **fields)
        db.session.commit()


def test_a_row_with_an_unsubscribe_address_goes_out_with_both_headers_and_forgets_it(app, mailbox):
    one_click = "http://localhost/unsubscribe/abc.def"
    write_message(app, "una@example.org", list_unsubscribe=one_click)
    write_message(app, "avi@example.org")

    with_address = read_strictly(mailbox.last("una@example.org"))
    without = read_strictly(mailbox.last("avi@example.org"))

    assert with_address["List-Unsubscribe"] == f"<{one_click}>"
    assert with_address["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" not in without
    assert "List-Unsubscribe-Post" not in without
    with app.app_context():
        # Once sent, the row keeps no working link.
        assert db.session.scalars(sa.select(OutboxMessage.list_unsubscribe)).all() == [None, None]


def test_a_line_break_in_the_address_cannot_add_a_header(app, mailbox):
    write_message(app, "una@example.org", list_unsubscribe="http://localhost/u\r\nBcc: x@evil")

    message = read_strictly(mailbox.last("una@example.org"))

    assert message["Bcc"] is None
    assert message["List-Unsubscribe"] == "<http://localhost/u Bcc: x@evil>"
