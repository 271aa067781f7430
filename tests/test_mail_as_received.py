"""Every kind of mail Hearth sends, read as a mail client reads it: delivered by a real
worker to a real SMTP server, parsed by the email package in strict mode.

Each has a plain-text part, and every link in it to the site answers (below 400, as its
reader follows it: logged in as the account it was sent to, if any). Notification mail,
what a person can turn off in their settings, carries List-Unsubscribe with its one-click
address and List-Unsubscribe-Post (RFC 2369, RFC 8058), names the same address in its
footer, and a mail program's POST there turns that kind off for that reader alone.
Account mail (addresses, passwords, invitations, answers to one's own request) carries
neither header.

A kind of mail is a template of templates/email/ (the outbox row's kind): a new template
that is not classified below, or a kind this walk does not produce, fails the suite.
"""

import contextlib
import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.conftest import BASE_URL
from tests.events.factories import make_event
from tests.events.mail.support import change
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll, option_ids, slots_from_now, vote
from tests.support.auth import login_data, signup_data
from tests.support.pseudo_locale import (
    PSEUDO,
    data_strings,
    texts_of_html,
    unmarked_words,
    wrapped,
)
from webapp.accounts.models import User
from webapp.accounts.services import change_password, request_email_change
from webapp.accounts.tokens import ALL_NOTIFICATIONS
from webapp.announcements.models import AnnouncementDelivery, Delivery
from webapp.database.times import utcnow
from webapp.digest.models import DigestSetting, Frequency
from webapp.digest.sending import write_digest
from webapp.discussions.mentions import handle_of
from webapp.discussions.models import Following
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.events.mail.reminders import remind_attendees
from webapp.events.models import Event
from webapp.events.rsvp.services import answer_event, withdraw
from webapp.events.services import cancel_event
from webapp.extensions import db
from webapp.groups.models import Group, Membership
from webapp.outbox.models import OutboxMessage
from webapp.polls.models import Poll
from webapp.polls.services import close_poll
from webapp.reports.models import Report
from webapp.web.languages import LANGUAGE_COOKIE
from webapp.your_data.deletion import delete_account

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

# Mail one can turn off, by kind: what its one-click address turns off.
# What a group's announcements' one click leaves: that group's announcements off.
ANNOUNCEMENTS_OFF = "announcements off"
# What the digest's one click (its List-Unsubscribe) leaves: no digest.
DIGEST_OFF = "digest off"
# What a thread's one click leaves: that thread no longer followed.
UNFOLLOWED = "thread unfollowed"
NOTIFICATIONS = {
    "events/going": EventMailKind.CONFIRMATION,
    "events/waitlisted": EventMailKind.CONFIRMATION,
    "events/promoted": EventMailKind.PROMOTION,
    "events/changed": EventMailKind.CHANGES,
    "events/cancelled": EventMailKind.CANCELLATIONS,
    "events/reminder": EventMailKind.REMINDERS,
    "polls/result": EventMailKind.POLL_RESULTS,
    "polls/date_set": EventMailKind.POLL_RESULTS,
    "tasks/assigned": EventMailKind.TASK_ASSIGNED,
    "data_export_ready": EventMailKind.DATA_EXPORT,
    # One group's announcements: stopped for that group alone.
    "announcement": ANNOUNCEMENTS_OFF,
    # The digest: stopped altogether (a link per group leaves that group out of it).
    "digest": DIGEST_OFF,
    # Only the profile's "Email me about my groups and events" governs it.
    "group_join_request": ALL_NOTIFICATIONS,
    # A report, to the group's organisers, and its outcome, to the reporter: the profile's
    # switch.
    "reports/new_report": ALL_NOTIFICATIONS,
    "reports/outcome": ALL_NOTIFICATIONS,
    # A thread one follows (or is named in): stopped for that thread alone.
    "discussions/mentioned": UNFOLLOWED,
    "discussions/new_comments": UNFOLLOWED,
}
# Mail about one's account, or the answer to one's own request: always sent.
ACCOUNT_MAIL = {
    "verify_email",
    "reset_password",
    "change_email",
    "email_changed",
    "email_change_blocked",
    "password_changed",
    "account_deleted",
    "group_invitation",
    "group_request_decided",
    # Answering without an account: the link that confirms it, or, for an address with
    # an account, the note to log in instead.
    "events/guest_confirm",
    "events/guest_has_account",
}
ONE_CLICK_POST = "List-Unsubscribe=One-Click"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# A link ends where the pseudo-language's brackets close, too (a link ending a sentence).
LINK = re.compile(r"https?://[^\s<>\"')⟧]+")
HEADER_ADDRESS = re.compile(r"<(https?://[^>]+)>")


def template_kinds():
    """Every kind of mail there is: the templates of templates/email/, partials aside."""
    root = TEMPLATES / "email"
    return {
        str(path.relative_to(root).with_suffix(""))
        for path in root.rglob("*.txt")
        if not path.name.startswith("_")
    }


def test_every_kind_of_mail_is_classified():
    assert not set(NOTIFICATIONS) & ACCOUNT_MAIL
    assert template_kinds() == set(NOTIFICATIONS) | ACCOUNT_MAIL


@contextlib.contextmanager
def acting(app):
    """A service's transaction, as a request (or a job) runs it; committed at the end."""
    with app.test_request_context(base_url=BASE_URL, method="POST"):
        yield
        db.session.commit()


def user(email):
    return db.session.scalar(sa.select(User).where(User.email == email))


def strictly(message):
    """The message as it came over the wire, parsed by a strict client."""
    return email.message_from_bytes(message.wire_bytes, policy=email.policy.strict)


class Reader:
    """Reads each message as it arrives, once, and remembers what it read."""

    def __init__(self, app, mailbox):
        self.app, self.mailbox = app, mailbox
        self.seen = {}  # kind -> [(recipient, one-click address or None)]
        self.read_ids = set()
        # The footer's link text, as the language the mail is in says it.
        self.unsubscribe_words = "Unsubscribe from these emails"

    def kind_of(self, message_id):
        with self.app.app_context():
            return db.session.scalar(
                sa.select(OutboxMessage.kind).where(OutboxMessage.message_id == message_id)
            )

    def read(self, to, kind, login=None, password=DEFAULT_PASSWORD):
        """The newest message of kind to `to`, checked; followed by login's client (or an
        anonymous one). Returns its text."""
        found = []
        for received in self.mailbox.messages(to):
            message = strictly(received)
            if message["Message-ID"] in self.read_ids:
                continue
            if self.kind_of(message["Message-ID"]) == kind:
                found.append(message)
        assert found, f"no {kind} to {to}"
        message = found[-1]
        self.read_ids.add(message["Message-ID"])
        text = self.check(message, kind)
        self.follow_links(text, login, password, f"{kind} to {to}")
        address = HEADER_ADDRESS.fullmatch(message["List-Unsubscribe"] or "")
        self.seen.setdefault(kind, []).append((to, address and address.group(1)))
        return text

    def check(self, message, kind):
        assert message["Date"] and message["Message-ID"], kind
        assert message["Auto-Submitted"] == "auto-generated", kind
        plain = message.get_body(preferencelist=("plain",))
        assert plain is not None, f"{kind} has no text/plain part"
        text = plain.get_content()
        assert text.strip(), kind
        html = message.get_body(preferencelist=("html",)).get_content()
        if kind in NOTIFICATIONS:
            address = HEADER_ADDRESS.fullmatch(message["List-Unsubscribe"] or "")
            assert address, f"{kind}: List-Unsubscribe is {message['List-Unsubscribe']!r}"
            one_click = address.group(1)
            assert one_click.startswith(f"{BASE_URL}/unsubscribe/"), kind
            assert message["List-Unsubscribe-Post"] == ONE_CLICK_POST, kind
            assert f"{self.unsubscribe_words}: {one_click}" in text, kind
            assert f'href="{one_click}"' in html and self.unsubscribe_words in html
        else:
            assert "List-Unsubscribe" not in message, kind
            assert "List-Unsubscribe-Post" not in message, kind
            assert "/unsubscribe/" not in text + html, kind
        return text

    def follow_links(self, text, login, password, what):
        client = self.app.test_client()
        if login is not None:
            # Many logins from one address in a moment: not what the limit is for here.
            self.app.extensions["hearth_limiter"].reset()
            response = client.submit("/login", login_data(login, password=password))
            assert response.status_code == 303, f"{login} could not log in"
        links = [url for url in LINK.findall(text) if url.startswith(BASE_URL)]
        for url in dict.fromkeys(links):
            path = url.removeprefix(BASE_URL).split("#", 1)[0] or "/"
            response = client.get(path, follow_redirects=True)
            assert response.status_code < 400, f"{what}: {url} answered {response.status_code}"


@pytest.fixture
def reader(app, mailbox):
    return Reader(app, mailbox)


def account_mail(app, client, reader):
    """Signing up, a reset, a password and an address changed, a blocked change, a
    deleted account."""
    assert client.submit("/signup", signup_data(email="vera@example.org")).status_code == 303
    reader.read("vera@example.org", "verify_email")
    with app.app_context():
        for address in ("rex", "pam", "eve", "taken", "dan"):
            make_user(email=f"{address}@example.org")
    assert client.submit("/password/forgot", {"email": "rex@example.org"}).status_code == 303
    reader.read("rex@example.org", "reset_password")

    with acting(app):
        change_password(user("pam@example.org"), DEFAULT_PASSWORD, "Another-Kettle-43!")
    reader.read("pam@example.org", "password_changed", "pam@example.org", "Another-Kettle-43!")

    with acting(app):
        request_email_change(user("eve@example.org"), "eve.new@example.org", DEFAULT_PASSWORD)
    text = reader.read("eve.new@example.org", "change_email", "eve@example.org")
    confirm = re.search(rf"{BASE_URL}(/settings/email/confirm/\S+)", text).group(1)
    eve = app.test_client()
    assert eve.submit("/login", login_data("eve@example.org")).status_code == 303
    assert eve.submit(confirm).status_code == 303
    reader.read("eve@example.org", "email_changed", "eve.new@example.org")

    with acting(app):
        request_email_change(user("rex@example.org"), "taken@example.org", DEFAULT_PASSWORD)
    reader.read("taken@example.org", "email_change_blocked", "taken@example.org")

    with acting(app):
        delete_account(user("dan@example.org"), DEFAULT_PASSWORD)
    reader.read("dan@example.org", "account_deleted")


def group_mail(app, reader):
    """An invitation, a request to join (to the owner) and its answer (to the asker)."""
    owner = app.test_client()
    assert owner.submit("/login", login_data("olga@example.org")).status_code == 303
    invite = {"email": "ivan@example.org", "role": "member"}
    assert owner.submit("/groups/rowers/manage/invitations", invite).status_code == 303
    reader.read("ivan@example.org", "group_invitation")

    asker = app.test_client()
    assert asker.submit("/login", login_data("abe@example.org")).status_code == 303
    assert asker.submit("/groups/rowers/join").status_code == 303
    reader.read("olga@example.org", "group_join_request", "olga@example.org")
    with app.app_context():
        request_id = db.session.scalar(
            sa.select(Membership.id).join(User).where(User.email == "abe@example.org")
        )
    decide = f"/groups/rowers/manage/requests/{request_id}/approve"
    assert owner.submit(decide).status_code == 303
    reader.read("abe@example.org", "group_request_decided", "abe@example.org")


def talk_mail(app, reader, event_id):
    """Vic asks under the event; Olga answers, naming Gus: Gus is told he was named, Vic
    that there is an answer. Vic reports the event: Olga hears of it, and Vic of what she
    decided."""
    vic = app.test_client()
    assert vic.submit("/login", login_data("vic@example.org")).status_code == 303
    comments = f"/events/{event_id}/comments"
    assert vic.submit(comments, {"comment-body": "Who brings the oars?"}).status_code == 303
    with app.app_context():
        gus = handle_of(user("gus@example.org"))
    owner = app.test_client()
    assert owner.submit("/login", login_data("olga@example.org")).status_code == 303
    answer = {"comment-body": f"@{gus} does."}
    assert owner.submit(comments, answer).status_code == 303
    reader.read("gus@example.org", "discussions/mentioned", "gus@example.org")
    reader.read("vic@example.org", "discussions/new_comments", "vic@example.org")

    # Vic reports the event to its organisers; Olga dismisses it, and Vic is told.
    report = {"reason": "spam", "detail": "Not a real regatta"}
    assert vic.submit(f"/events/{event_id}/report", report).status_code == 303
    reader.read("olga@example.org", "reports/new_report", "olga@example.org")
    with app.app_context():
        report_id = db.session.scalar(sa.select(Report.id))
    dismissed = owner.submit(f"/groups/rowers/manage/reports/{report_id}/dismiss")
    assert dismissed.status_code == 303
    reader.read("vic@example.org", "reports/outcome", "vic@example.org")


def event_mail(app, reader, event_id):
    """Going, the waitlist, a promotion, a new time, the reminder, a cancellation."""
    with acting(app):
        answer_event(user("gus@example.org"), db.session.get(Event, event_id), "going")
    reader.read("gus@example.org", "events/going", "gus@example.org")
    with acting(app):
        answer_event(user("wes@example.org"), db.session.get(Event, event_id), "going")
    reader.read("wes@example.org", "events/waitlisted", "wes@example.org")
    with acting(app):
        withdraw(user("gus@example.org"), db.session.get(Event, event_id))
    reader.read("wes@example.org", "events/promoted", "wes@example.org")

    with app.app_context():
        starts_at = db.session.get(Event, event_id).starts_at - timedelta(days=5)
    change(app, event_id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    # A change notice waits out its window, gathering further changes (change_notices.py).
    reader.mailbox.after(timedelta(minutes=11))
    reader.read("wes@example.org", "events/changed", "wes@example.org")

    with acting(app):
        assert remind_attendees(event_id, now=starts_at - timedelta(hours=23)) == 1
    reader.read("wes@example.org", "events/reminder", "wes@example.org")

    with acting(app):
        cancel_event(user("olga@example.org"), db.session.get(Event, event_id))
    reader.read("wes@example.org", "events/cancelled", "wes@example.org")


def guest_mail(app, client, reader):
    """Answering without an account: the link that confirms it (then the guest's going,
    whose links work without a login), and an address with an account sent to log in."""
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == "rowers"))
        group.allows_guests = True
        event_id = make_event(group, title="Open row", capacity=5).id
    form = {"name": "Gil", "email": "gil@example.org", "answer": "going", "guests": "0"}
    assert client.submit(f"/events/{event_id}/as-guest", form).status_code == 303
    text = reader.read("gil@example.org", "events/guest_confirm")
    confirm = re.search(rf"{BASE_URL}(/events/\d+/as-guest/confirm/\S+)", text).group(1)
    assert app.test_client().submit(confirm).status_code == 303
    reader.read("gil@example.org", "events/going")
    member = {**form, "email": "vic@example.org"}
    assert client.submit(f"/events/{event_id}/as-guest", member).status_code == 303
    reader.read("vic@example.org", "events/guest_has_account")


def poll_task_and_export_mail(app, reader, event_id):
    """A poll's result, a date poll's date, a task given, a download of one's data."""
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == "rowers"))
        poll = make_poll(group, labels=("River", "Lake"))
        vote(user("vic@example.org"), poll, option_ids(poll)[1])
        poll_id = poll.id
        later = make_event(group, title="Regatta")
        dates = make_poll(group, event=later, slots=slots_from_now(2))
        vote(user("dot@example.org"), dates, slot_answers={option_ids(dates)[0]: "yes"})
        dates_id, slot_id, later_id = dates.id, option_ids(dates)[0], later.id
    with acting(app):
        close_poll(user("olga@example.org"), db.session.get(Poll, poll_id))
    reader.read("vic@example.org", "polls/result", "vic@example.org")

    owner = app.test_client()
    assert owner.submit("/login", login_data("olga@example.org")).status_code == 303
    schedule = f"/polls/{dates_id}/manage/slots/{slot_id}/schedule"
    assert owner.submit(schedule).status_code == 303
    reader.read("dot@example.org", "polls/date_set", "dot@example.org")

    with app.app_context():
        tia = user("tia@example.org").id
    task = {"title": "Bring oars", "assignee": str(tia)}
    assert owner.submit(f"/events/{later_id}/tasks", task).status_code == 303
    reader.read("tia@example.org", "tasks/assigned", "tia@example.org")

    tia_client = app.test_client()
    assert tia_client.submit("/login", login_data("tia@example.org")).status_code == 303
    assert tia_client.submit("/settings/data/export").status_code == 303
    reader.read("tia@example.org", "data_export_ready", "tia@example.org")

    news = {"subject": "Oars", "body": "New **oars** at the boathouse.", "when": "now"}
    assert owner.submit("/groups/rowers/announcements/new", news).status_code == 303
    reader.read("wes@example.org", "announcement", "wes@example.org")

    # Dot's daily digest, at her next 08:00: the regatta is new to her.
    with app.app_context():
        dot = user("dot@example.org").id
        db.session.add(DigestSetting(user_id=dot, frequency=Frequency.DAILY))
        db.session.commit()
    now = utcnow()
    eight = now.replace(hour=8, minute=5, second=0, microsecond=0)
    eight += timedelta(days=1) if eight <= now else timedelta(0)
    with acting(app):
        assert write_digest(dot, f"daily:{eight.date().isoformat()}", eight)
    reader.read("dot@example.org", "digest", "dot@example.org")


def test_every_kind_reads_as_a_mail_client_reads_it(app, client, reader):
    with app.app_context():
        owner = make_user(email="olga@example.org", first_name="Olga")
        # Not created in the order they act, so no id happens to match another's.
        names = ("vic", "tia", "dot", "wes", "gus")
        members = [make_user(email=f"{name}@example.org") for name in names]
        make_user(email="abe@example.org")
        group = make_group(owner, name="Rowers", slug="rowers", join_policy="approval")
        for member in members:
            add_member(group, member)
        event_id = make_event(group, title="Night row", capacity=1).id

    account_mail(app, client, reader)
    group_mail(app, reader)
    event_mail(app, reader, event_id)
    guest_mail(app, client, reader)
    talk_mail(app, reader, event_id)
    poll_task_and_export_mail(app, reader, event_id)

    assert set(reader.seen) == template_kinds(), "a kind of mail this walk does not send"
    # And a mail program's one click turns that kind off for that reader.
    for kind, received in sorted(reader.seen.items()):
        if kind in NOTIFICATIONS:
            for to, one_click in received:
                assert_one_click_turns_off(app, to, one_click, NOTIFICATIONS[kind])


def turned_off(app, email):
    with app.app_context():
        person = user(email)
        kinds = set(
            db.session.scalars(
                sa.select(EventMailOptOut.kind).where(EventMailOptOut.user_id == person.id)
            )
        )
        stopped = db.session.scalar(
            sa.select(sa.func.count()).where(
                AnnouncementDelivery.user_id == person.id,
                AnnouncementDelivery.delivery == Delivery.OFF,
            )
        )
        kinds |= {ANNOUNCEMENTS_OFF} if stopped else set()
        digest = db.session.get(DigestSetting, person.id)
        kinds |= {DIGEST_OFF} if digest and digest.frequency == Frequency.OFF else set()
        unfollowed = db.session.scalar(
            sa.select(sa.func.count()).where(
                Following.user_id == person.id, Following.following.is_(False)
            )
        )
        kinds |= {UNFOLLOWED} if unfollowed else set()
        return kinds | ({ALL_NOTIFICATIONS} if not person.email_notifications else set())


def assert_one_click_turns_off(app, to, one_click, kind):
    before = turned_off(app, to)
    mail_program = app.test_client()
    response = mail_program.post(
        one_click.removeprefix(BASE_URL),
        data=ONE_CLICK_POST,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, (to, kind)
    assert turned_off(app, to) == before | {kind}, (to, kind)


def test_every_kind_of_mail_comes_from_the_catalogue(app, client, reader, pseudo_languages):
    """The same walk, every reader in the pseudo-language (tests/support/pseudo_locale.py):
    each message's subject, text and HTML show only the catalogue's words, their data (names,
    titles, addresses) and the words of Babel's dates and sizes."""
    default = app.config["DEFAULT_LANGUAGE"]
    app.config["DEFAULT_LANGUAGE"] = PSEUDO
    client.set_cookie(LANGUAGE_COOKIE, PSEUDO)
    reader.unsubscribe_words = wrapped(reader.unsubscribe_words)
    try:
        test_every_kind_reads_as_a_mail_client_reads_it(app, client, reader)
    finally:
        app.config["DEFAULT_LANGUAGE"] = default

    data, found = data_strings(app), {}
    with app.app_context():
        for message in db.session.scalars(sa.select(OutboxMessage)):
            texts = [message.subject, message.text_body, *texts_of_html(message.html_body)]
            words = {
                word for text in texts for word in unmarked_words(text, data, pseudo_languages)
            }
            if words:
                found.setdefault(message.kind, set()).update(words)
    assert not found, "mail text not marked for translation: " + repr(found)
