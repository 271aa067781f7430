"""The embedded lists of coming events, through HTTP: a public group's and the site's show
the next events of public groups alone, each linking to its page in a new tab; no script,
no form, no cookie; a policy that lets the sites the group chose frame it (and no
X-Frame-Options), light or dark by ?theme=; 304 for a reader who has it. A private,
suspended or deleted group has none."""

import re
from datetime import timedelta

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.polls.support import logged_in
from webapp.database.times import utcnow
from webapp.events.models import EventStatus
from webapp.extensions import db


@pytest.fixture
def town(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        quiet = make_group(olu, name="Quiet club", slug="quiet-club", visibility="private")
        walkers = make_group(olu, name="Walkers", slug="walkers")
        make_group(olu, name="Frozen", slug="frozen", suspended_at=utcnow())
        make_event(quiet, title="Quiet night", starts_in=timedelta(days=1))
        make_event(walkers, title="Late walk", starts_in=timedelta(days=9), venue="Old Oak")
        make_event(walkers, title="Draft walk", status=EventStatus.DRAFT)
        make_event(walkers, title="Past walk", starts_in=timedelta(days=-3))
        make_event(
            walkers,
            title="Call",
            starts_in=timedelta(days=2),
            online_url="https://meet.example.org/secret-room",
        )
        make_event(walkers, title="Rained off", status=EventStatus.CANCELLED)
        db.session.commit()


def listed(response):
    """The titles of the list's events, in order, and their links."""
    page = response.data.decode()
    return re.findall(
        r'<a href="(http[^"]+/events/[^"]+)" target="_blank" rel="noopener">([^<]+)</a>', page
    )


@pytest.mark.parametrize("path", ["/groups/walkers/embed", "/embed"])
def test_an_embedded_list_shows_coming_public_events_to_open_in_a_new_tab(client, town, path):
    response = client.get(path)
    assert response.status_code == 200
    assert [title for _url, title in listed(response)] == ["Call", "Rained off", "Late walk"]
    page = response.data.decode()
    assert "Cancelled" in page and "Old Oak" in page
    # The call's address is for members, on the event's page.
    assert "secret-room" not in page and "Online" in page
    assert "<script" not in page and "<form" not in page
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors *" in policy
    assert "script-src" not in policy
    assert "X-Frame-Options" not in response.headers


def test_the_theme_is_chosen_by_a_parameter(client, town):
    assert 'data-theme="dark"' in client.get("/groups/walkers/embed?theme=dark").data.decode()
    assert 'data-theme="light"' in client.get("/groups/walkers/embed?theme=light").data.decode()
    follows_system = client.get("/groups/walkers/embed?theme=<b>").data.decode()
    assert "data-theme" not in follows_system and 'content="light dark"' in follows_system


@pytest.mark.parametrize("slug", ["quiet-club", "frozen", "nobody"])
def test_a_group_that_is_not_public_has_no_embedded_list(app, client, town, slug):
    assert client.get(f"/groups/{slug}/embed").status_code == 404
    # Not for its members either: the list is for other websites, which show it to anyone.
    assert logged_in(app, "olu@example.org").get(f"/groups/{slug}/embed").status_code == 404


def test_a_reader_who_has_the_list_gets_304(client, town):
    first = client.get("/groups/walkers/embed")
    again = client.get("/groups/walkers/embed", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]
