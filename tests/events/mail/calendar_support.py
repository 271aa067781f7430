"""Two events of one group edited by their organiser over HTTP, and their email read as a
mail client reads it: strictly parsed, its calendar attachment parsed by icalendar."""

import email
import email.policy
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.support import event_data, local
from tests.groups.factories import add_member, make_group
from tests.support.auth import login_data
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db

BERLIN = ZoneInfo("Europe/Berlin")
WALK = {"title": "Canal walk", "capacity": "1"}
SWIM = {"title": "Lake swim", "capacity": ""}


class Club(NamedTuple):
    """A swim made before a walk (so the walk's id is the higher); Ann goes to both, Bob
    to the swim, Cyd waits for the walk's one place; the owner organises both."""

    walk_id: int
    swim_id: int
    owner: str
    ann: str
    bob: str
    cyd: str


def berlin(typed):
    """What a datetime-local field typed in Berlin means, in UTC."""
    return datetime.strptime(typed, "%Y-%m-%dT%H:%M").replace(tzinfo=BERLIN).astimezone(UTC)


def _event(group, form):
    data = event_data(**form)
    return make_event(
        group,
        title=data["title"],
        description=data["description"],
        venue=data["venue"],
        address=data["address"],
        time_zone=data["time_zone"],
        capacity=int(data["capacity"]) if data["capacity"] else None,
        starts_at=berlin(data["starts_at"]),
        ends_at=berlin(data["ends_at"]),
    )


def make_club(app):
    with app.app_context():
        owner = make_user(email="olga@example.org", first_name="Olga")
        people = [
            make_user(email=f"{name}@example.org", first_name=name.title())
            for name in ("ann", "bob", "cyd")
        ]
        group = make_group(owner, name="Canal club")
        for person in people:
            add_member(group, person)
        swim, walk = _event(group, SWIM), _event(group, WALK)
        ann, bob, cyd = people
        for person, event in ((ann, swim), (bob, swim), (ann, walk), (cyd, walk)):
            answer_event(person, event, "going")
            db.session.commit()
        return Club(walk.id, swim.id, owner.email, ann.email, bob.email, cyd.email)


def organiser(app, club):
    client = app.test_client()
    assert client.submit("/login", login_data(club.owner)).status_code == 303
    return client


def move(client, event_id, form, hour=None, **changes):
    """The organiser saves the event at hour:00-hour:30, a month from now, in Berlin (or
    at the time it was made with)."""
    if hour is not None:
        changes.update(starts_at=local(hour=hour), ends_at=local(hour=hour, minute=30))
    data = event_data(**form, **changes)
    response = client.submit(f"/events/{event_id}/manage/edit", data)
    assert response.status_code == 303, response.get_data(as_text=True)


def read_strictly(message):
    """The message as a strict client parses it: a malformed header raises."""
    return email.message_from_bytes(bytes(message), policy=email.policy.strict)


def calendar_of(message):
    """(the text/calendar part's method parameter, its VEVENT) of the one attachment."""
    (part,) = [
        part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"
    ]
    assert part.get_filename().endswith(".ics")
    # RFC 2045: base64 in lines of at most 76 characters.
    assert max(len(line) for line in part.get_payload().splitlines()) <= 76
    calendar = Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == part.get_param("method")
    return str(calendar["METHOD"]), event


def downloaded(client, event_id):
    """The VEVENT of the event's own .ics download."""
    response = client.get(f"/events/{event_id}/calendar.ics")
    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.get_data()).walk("VEVENT")
    return event


def club_with_confirmations_read(app, mailbox):
    """make_club's club, its members' confirmations already read and the listener
    cleared: a test then sees only the mail its own change sends."""
    club = make_club(app)
    mailbox.messages()
    mailbox.listener.clear()
    return club
