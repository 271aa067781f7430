"""How often people came, through HTTP: organisers read "2 of the last 5" for each member
on the members page, and each member their own line on the group's page, never another's
(nor the members page). Only the group's last five events over whose door was used count:
not one further back, nor one whose door was not used, nor one under way or to come, nor
a deleted one, nor another group's. A group that never used a door shows neither (and
asks nothing). The first check-in marks the group. Members are made so that ids run
against how often they came."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import html
from tests.tasks.factories import going
from webapp.database.times import utcnow
from webapp.events.checkin.models import CheckIn
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group


def ago(days):
    return -timedelta(days=days)


@pytest.fixture
def club(app):
    """The Walkers' five last events with a door (and the look-alikes that must not
    count); Rae came to 4 of the five, Kai to 2, Lee to none (but to the sixth back)."""
    with app.app_context():
        owner = make_user(email="olu@example.org", first_name="Olu")
        group = make_group(owner, name="Walkers")
        lee, kai, rae = (
            make_user(first_name=name, email=f"{name.lower()}@example.org")
            for name in ("Lee", "Kai", "Rae")
        )
        for person in (lee, kai, rae):
            add_member(group, person)
        counted = [
            make_event(group, starts_in=ago(days), title=f"Walk {days} days ago")
            for days in (3, 10, 17, 24, 31)
        ]
        sixth = make_event(group, starts_in=ago(38))
        no_door = make_event(group, starts_in=ago(5))
        under_way = make_event(group, starts_in=-timedelta(minutes=30))
        deleted = make_event(group, starts_in=ago(6))
        other_group = make_event(make_group(owner, name="Swimmers"), starts_in=ago(2))
        came = {rae: counted[:4], kai: counted[3:], lee: [sixth]}
        for person in (rae, kai):
            came[person] += [under_way, deleted, other_group]
        for person, events in came.items():
            for event in events:
                going(event, person)
                db.session.add(CheckIn(event_id=event.id, user_id=person.id))
        going(no_door, lee)
        db.session.get(Event, deleted.id).deleted_at = utcnow()
        for walkers in db.session.scalars(sa.select(Group)):
            walkers.door_used = True
        db.session.commit()
        return {"slug": group.slug, "group": group.id, "next": make_event(group).id}


def cells(page, name):
    """The text of name's row cell labelled Came."""
    row = page.split(f'<td data-label="Name">{name}', 1)[1].split("</tr>", 1)[0]
    return row.split('data-label="Came">', 1)[1].split("</td>", 1)[0]


def test_organisers_read_how_often_each_member_came(app, club):
    organiser = logged_in(app, "olu@example.org")
    page = html(organiser.get(f"/groups/{club['slug']}/manage/members"))
    assert '<th scope="col">Came</th>' in page
    assert cells(page, "Rae") == "4 of the last 5"
    assert cells(page, "Kai") == "2 of the last 5"
    assert cells(page, "Lee") == "0 of the last 5"


def test_each_member_reads_their_own_on_the_groups_page(app, club):
    for email, line in (
        ("rae@example.org", "You came to 4 of the group's last 5 events"),
        ("lee@example.org", "You came to 0 of the group's last 5 events"),
    ):
        page = html(logged_in(app, email).get(f"/groups/{club['slug']}"))
        assert line in page, email
    assert "You came to" not in html(app.test_client().get(f"/groups/{club['slug']}"))


def test_a_member_reads_which_events_they_came_to_the_latest_first(app, club):
    page = html(logged_in(app, "kai@example.org").get(f"/groups/{club['slug']}"))
    history = page.split('<details class="own-attendance">', 1)[1].split("</details>", 1)[0]
    lines = re.findall(r">(Walk \d+ days ago)</a> · [^·]+ · ([^<]+)</li>", history)
    assert lines == [
        ("Walk 3 days ago", "You were not checked in"),
        ("Walk 10 days ago", "You were not checked in"),
        ("Walk 17 days ago", "You were not checked in"),
        ("Walk 24 days ago", "You came"),
        ("Walk 31 days ago", "You came"),
    ]
    # Only those five: not the sixth back, one without a door, one under way, a deleted
    # one, another group's.
    assert history.count("<li>") == 5


def test_a_member_never_reads_anothers_count_and_an_organiser_reads_each(app, club):
    # Kai (made before Rae, and come less often) reads his own line and nothing of Rae's.
    kai = logged_in(app, "kai@example.org")
    page = html(kai.get(f"/groups/{club['slug']}"))
    assert "You came to 2 of the group's last 5 events" in page
    assert "4 of" not in page and "Came" not in page
    members = f"/groups/{club['slug']}/manage/members"
    assert kai.get(members).status_code == 403
    assert kai.get(f"{members}?q=Rae", headers={"HX-Request": "true"}).status_code == 403

    with app.app_context():
        ora = make_user(first_name="Ora", email="ora@example.org")
        add_member(db.session.get(Group, club["group"]), ora, role="organiser")
    page = html(logged_in(app, "ora@example.org").get(members))
    assert cells(page, "Rae") == "4 of the last 5"
    assert cells(page, "Kai") == "2 of the last 5"


def test_a_group_that_never_used_a_door_shows_neither(app):
    with app.app_context():
        owner = make_user(email="ida@example.org")
        group = make_group(owner, name="Readers")
        member = make_user(email="mo@example.org")
        add_member(group, member)
        going(make_event(group, starts_in=ago(3)), member)
        slug = group.slug
    page = html(logged_in(app, "ida@example.org").get(f"/groups/{slug}/manage/members"))
    assert "Came" not in page
    assert "You came to" not in html(logged_in(app, "mo@example.org").get(f"/groups/{slug}"))


def test_the_first_check_in_marks_the_group(app):
    with app.app_context():
        owner = make_user(email="ida@example.org")
        group = make_group(owner, name="Readers")
        member = make_user()
        add_member(group, member)
        event = make_event(group, starts_in=-timedelta(minutes=10))
        going(event, member)
        ids = (group.id, event.id, member.id)
    door = logged_in(app, "ida@example.org")
    assert door.submit(f"/events/{ids[1]}/door/{ids[2]}/check-in").status_code == 303
    with app.app_context():
        assert db.session.get(Group, ids[0]).door_used
