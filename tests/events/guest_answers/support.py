"""A public group that takes guests, with an event whose id is not the group's first, and
members whose ids come before and after the guest's (so nothing passes by order)."""

import re
from dataclasses import dataclass

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db


@dataclass
class Picnic:
    event_id: int
    other_event_id: int
    group_slug: str
    members: dict


def build_picnic(app, capacity=2, allows_guests=True, visibility="public", guests_allowed=1):
    with app.app_context():
        owner = make_user(email="olu@example.org", first_name="Olu")
        group = make_group(
            owner, name="Picnickers", visibility=visibility, allows_guests=allows_guests
        )
        other = make_event(group, title="Picnic", capacity=capacity)
        event = make_event(group, title="Picnic", capacity=capacity, guests_allowed=guests_allowed)
        members = {}
        for name in ("Zed", "Amy"):
            person = make_user(email=f"{name.lower()}@example.org", first_name=name)
            add_member(group, person)
            members[name] = person.id
        db.session.commit()
        return Picnic(event.id, other.id, group.slug, members)


def ask(client, event_id, email="Gus@Example.org", name="Gus  Guest", answer="going", **extra):
    data = {"name": name, "email": email, "answer": answer, "guests": "0", **extra}
    return client.submit(f"/events/{event_id}/as-guest", data)


def last_to(mailbox, to="gus@example.org"):
    """The newest message to the address `to`, however its case was typed."""
    found = [m for m in mailbox.messages() if to in m["To"].lower()]
    assert found, f"no email to {to}"
    return found[-1]


def confirm_link(mailbox, to="gus@example.org"):
    """The path of the confirmation link mailed to `to`."""
    text = mailbox.text(last_to(mailbox, to))
    return re.search(r"https?://\S+(/events/\d+/as-guest/confirm/\S+)", text).group(1)


def answer_link(mailbox, to="gus@example.org"):
    """The path of the guest's own page, from the newest event email to `to`."""
    text = mailbox.text(last_to(mailbox, to))
    return re.search(r"https?://\S+(/events/\d+/as-guest/(?!confirm)[^/\s]+)\s", text).group(1)


def answers(app, event_id):
    """{email: (answer, waitlist ticket)} of the event's answers."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(User.email_normalized, Rsvp.answer, Rsvp.waitlist_ticket)
            .join(User, User.id == Rsvp.user_id)
            .where(Rsvp.event_id == event_id)
        ).all()
        return {email: (answer.value, ticket) for email, answer, ticket in rows}


def counters(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        return event.going_count, event.places_taken, event.waitlist_count


def guest_row(app, email="gus@example.org"):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email_normalized == email))
