"""Who finds an event in lists follows its group: events.listing, kept by the database
triggers of migration 0012_event_listing, changes when the group turns private or
public, or is deleted, however the group was changed (here through its settings page)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.auth import html
from webapp.events.models import Event, EventListing
from webapp.extensions import db


@pytest.fixture
def club(app):
    """Public Book Club (Olga owns it, Mina is a member) with one upcoming event."""
    with app.app_context():
        olga = make_user(email="olga@example.org", first_name="Olga")
        make_user(email="otto@example.org")
        group = make_group(olga, name="Book Club", slug="book-club")
        add_member(group, make_user(email="mina@example.org"))
        make_event(group, title="Reading night", starts_in=timedelta(days=3))
        db.session.commit()


def listed_titles(client):
    return re.findall(
        r'<h2><a href="/events/\d+-[^"]*">([^<]+)</a></h2>', html(client.get("/events"))
    )


def listing(app):
    with app.app_context():
        return db.session.scalar(sa.select(Event.listing))


def change_visibility(client, auth, visibility):
    auth.login("olga@example.org")
    response = client.submit(
        "/groups/book-club/manage/settings",
        {
            "name": "Book Club",
            "slug": "book-club",
            "description": "",
            "visibility": visibility,
            "join_policy": "open",
        },
    )
    assert response.status_code == 303
    auth.logout()


def test_a_new_event_takes_its_groups_listing(app, club):
    assert listing(app) == EventListing.PUBLIC


def test_a_group_turned_private_takes_its_events_out_of_other_peoples_lists(
    app, client, auth, club
):
    assert listed_titles(client) == ["Reading night"]

    change_visibility(client, auth, "private")

    assert listing(app) == EventListing.MEMBERS
    assert listed_titles(client) == []
    auth.login("otto@example.org")
    assert listed_titles(client) == []
    auth.logout()
    auth.login("mina@example.org")
    assert listed_titles(client) == ["Reading night"]


def test_a_group_made_public_again_lists_its_events_for_everyone(app, client, auth, club):
    change_visibility(client, auth, "private")
    change_visibility(client, auth, "public")

    assert listing(app) == EventListing.PUBLIC
    assert listed_titles(client) == ["Reading night"]


def test_a_deleted_groups_events_leave_every_list(app, client, auth, club):
    auth.login("olga@example.org")
    response = client.submit(
        "/groups/book-club/manage/delete", {"delete-confirm_name": "Book Club"}
    )
    assert response.status_code == 303

    assert listing(app) == EventListing.HIDDEN
    assert listed_titles(client) == []
    auth.logout()
    auth.login("mina@example.org")
    assert listed_titles(client) == []
