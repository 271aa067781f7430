"""SQL statements per request on the pages that show announcements stay few, and the same
with 1 announcement and 30, read and unread, a handful of members and many: counted by the
benchmark's own counter. The group's and the event's pages ask one statement more for
them (the list with what the viewer has read), and none until there is one. The most is
the organisers' list: the session's user, the group, the page of announcements, which the
viewer has read, their messages' counts, the sends left this week and the viewer's own
way of taking them."""

import pytest

from tests.accounts.factories import make_user
from tests.announcements.factories import make_announcement
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.query_counting import assert_few_and_flat
from webapp.accounts.models import User
from webapp.announcements.models import AnnouncementRead
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.groups.models import Group

BUDGET = 7
PAGES = [
    ("group page", "member", "/groups/walkers", False),
    ("group page", "organiser", "/groups/walkers", False),
    ("event page", "member", "/events/{event}-picnic", False),
    ("event page", "organiser", "/events/{event}-picnic", False),
    ("announcements", "member", "/groups/walkers/announcements", False),
    ("announcements", "organiser", "/groups/walkers/announcements", False),
    ("announcements, page 2", "member", "/groups/walkers/announcements?page=2&per_page=1", False),
    ("one announcement", "member", "/announcements/{first}", False),
    ("one announcement", "organiser", "/announcements/{first}", False),
]


def grow(app, ids, people, announcements):
    with app.app_context():
        walkers = db.session.get(Group, ids["walkers"])
        event = db.session.get(Event, ids["event"])
        owner = db.session.get(User, ids["owner"])
        for _ in range(people):
            add_member(walkers, make_user())
        for number in range(announcements):
            made = make_announcement(walkers, owner, subject=f"News {number}")
            to_event = make_announcement(
                walkers, owner, event=event, subject=f"Event news {number}"
            )
            if number % 2:
                for read in (made, to_event):
                    db.session.add(AnnouncementRead(announcement_id=read.id, user_id=ids["member"]))
            make_announcement(walkers, owner, in_days=5 + number, subject=f"Later {number}")
        db.session.commit()


@pytest.fixture
def world(app):
    with app.app_context():
        owner = make_user()
        member = make_user(email="member@example.org")
        organiser = make_user(email="organiser@example.org")
        walkers = make_group(owner, name="Walkers", slug="walkers")
        add_member(walkers, member)
        add_member(walkers, organiser, role="organiser")
        event = make_event(walkers, title="Picnic")
        db.session.add(Rsvp(event_id=event.id, user_id=member.id, answer=Answer.GOING))
        first = make_announcement(walkers, owner, subject="First")
        return {
            "walkers": walkers.id,
            "event": event.id,
            "owner": owner.id,
            "member": member.id,
            "first": first.id,
        }


@pytest.mark.timeout(120)
def test_statements_per_page_stay_few_and_do_not_grow(app, world, monkeypatch):
    small = {"people": 1, "announcements": 1}
    big = {"people": 20, "announcements": 15}
    assert_few_and_flat(app, monkeypatch, grow, world, small, big, PAGES, BUDGET)
