"""Header values in the mail layer: a line break in a name cannot add a header or stop mail."""

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.groups.factories import add_member, make_group
from webapp.extensions import db
from webapp.outbox import services

EVIL_NAME = "Ann\nBcc: x@evil"


@pytest.fixture
def ann(app):
    with app.app_context():
        return make_user(email="ann@example.org", first_name=EVIL_NAME, last_name="Lee").email


def log_in(client, email):
    response = client.submit("/login", {"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303


def assert_clean(message, subject):
    assert message["Subject"] == subject
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]
    assert all("evil" not in str(address) for address in message["To"].addresses)


def test_a_name_with_a_line_break_asking_to_join_mails_a_clean_subject(
    app, client, mailbox, ann, smtp_listener
):
    with app.app_context():
        owner = make_user(email="otto@example.org")
        make_group(owner, name="Rowers", slug="rowers", join_policy="approval")
    log_in(client, ann)
    assert client.submit("/groups/rowers/join").status_code == 303
    assert_clean(mailbox.last("otto@example.org"), "Ann Bcc: x@evil Lee asked to join Rowers")

    # Mail after it still goes out.
    assert client.submit("/password/forgot", {"email": "otto@example.org"}).status_code == 303
    assert len(mailbox.messages("otto@example.org")) == 2
    assert all("x@evil" not in str(m["To"]) for m in smtp_listener.messages)


def test_a_name_with_a_line_break_inviting_mails_a_clean_subject(app, client, mailbox, ann):
    with app.app_context():
        owner = make_user(email="olga@example.org")
        group = make_group(owner, name="Knitters", slug="knitters", join_policy="invitation")
        anns = make_user(email="annie@example.org", first_name=EVIL_NAME, last_name="Ng")
        add_member(group, anns, "organiser")
    log_in(client, "annie@example.org")
    data = {"email": "ivy@example.org", "role": "member", "message": ""}
    assert client.submit("/groups/knitters/manage/invitations", data).status_code == 303
    assert_clean(
        mailbox.last("ivy@example.org"), "Ann Bcc: x@evil Ng invited you to Knitters on Hearth"
    )
    assert client.submit("/password/forgot", {"email": "olga@example.org"}).status_code == 303
    assert len(mailbox.messages("olga@example.org")) == 1


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("a\r\nb", "a b"),
        ("a\rb", "a b"),
        ("a\u2028b", "a b"),
        ("a\x00b\tc", "a b c"),
        ("  plain  ", "plain"),
    ],
)
def test_every_header_value_is_made_single_line_before_it_is_stored(
    app_context, mailbox, given, stored
):
    message = services.add_message("test", f"to{given}@example.org", given, "Body")
    db.session.commit()
    assert message.subject == stored
    assert "\n" not in message.recipient and "\r" not in message.recipient
