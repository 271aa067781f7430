"""An event's page: its address, and who may see it."""

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.events.models import EventStatus


@pytest.fixture
def world(app):
    with app.app_context():
        owner = make_user(email="owner@example.org")
        member = make_user(email="member@example.org")
        make_user(email="outsider@example.org")
        public = make_group(owner, name="Walkers")
        private = make_group(owner, name="Secret", visibility="private")
        add_member(public, member)
        add_member(private, member)
        return {
            "published": make_event(public, title="Summer picnic").id,
            "draft": make_event(public, title="Plans", status=EventStatus.DRAFT).id,
            "private": make_event(private, title="Quiet dinner").id,
        }


def test_the_page_lives_at_its_readable_address(client, world):
    event_id = world["published"]
    page = client.get(f"/events/{event_id}-summer-picnic")
    assert page.status_code == 200
    assert "Summer picnic" in page.text
    moved = client.get(f"/events/{event_id}?x=1")
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/events/{event_id}-summer-picnic?x=1"
    assert client.get(f"/events/{event_id}-old-name").status_code == 301


@pytest.mark.parametrize(
    ("email", "draft", "private"),
    [
        (None, 404, 404),
        ("outsider@example.org", 404, 404),
        ("member@example.org", 404, 200),
        ("owner@example.org", 200, 200),
    ],
)
def test_drafts_are_for_organisers_and_private_events_for_members(
    client, auth, world, email, draft, private
):
    if email:
        auth.login(email)
    assert client.get(f"/events/{world['draft']}-plans").status_code == draft
    assert client.get(f"/events/{world['private']}-quiet-dinner").status_code == private


def test_an_unknown_event_is_not_found(client, world):
    assert client.get("/events/999999-nothing").status_code == 404
