"""A line longer than SMTP carries (998 octets) no longer makes a server refuse the whole
message: such a body goes quoted-printable, and reads back as written. A long paragraph of
Markdown (an announcement's, an event's description) is one line of HTML, so this was any
organiser's long paragraph; every message goes out through webapp.outbox.transport.build,
so one sent straight and one written through HTTP stand for the rest."""

import email
import email.policy

from tests.announcements.support import announce_to_group
from tests.tasks.factories import make_party
from webapp.extensions import db
from webapp.outbox.models import OutboxMessage, OutboxState
from webapp.outbox.services import add_message

PARAGRAPH = "Bring boots, tea and a lantern; the path is muddy after rain. " * 60  # ~3,700
ACCENTED = "Él camina por el sendero añejo al atardecer. " * 40  # long in octets too


def decoded_parts(message):
    parsed = email.message_from_bytes(bytes(message), policy=email.policy.default)
    return {
        part.get_content_type(): part.get_content()
        for part in parsed.walk()
        if not part.is_multipart()
    }


def test_a_message_with_long_lines_is_delivered_and_reads_as_written(app, mailbox):
    with app.app_context():
        add_message(
            kind="test",
            recipient="lena@example.org",
            subject="Long",
            text_body=f"{PARAGRAPH}\n{ACCENTED}\nshort line",
            html_body=f"<p>{PARAGRAPH}</p><p>{ACCENTED}</p>",
        )
        db.session.commit()
    (message,) = mailbox.messages("lena@example.org")
    parts = decoded_parts(message)
    assert parts["text/plain"].splitlines() == [PARAGRAPH, ACCENTED, "short line"]
    assert parts["text/html"].strip() == f"<p>{PARAGRAPH}</p><p>{ACCENTED}</p>"
    # Short lines still go as they are, readable in a saved copy.
    assert all(len(line) <= 998 for line in bytes(message).splitlines())


def test_an_announcement_of_one_long_paragraph_reaches_every_member(app, mailbox):
    with app.app_context():
        party = make_party(members=2)
    _client, response = announce_to_group(app, party, body=PARAGRAPH)
    assert response.status_code == 303

    for member in party.members:
        (message,) = [m for m in mailbox.messages(member) if "Picnic" in m["Subject"]]
        assert PARAGRAPH.strip() in decoded_parts(message)["text/html"]
    with app.app_context():
        states = db.session.scalars(db.select(OutboxMessage.state)).all()
    assert set(states) == {OutboxState.SENT}
