"""The public feeds, read through HTTP by real parsers (icalendar, feedparser): they show
the events of public groups that are live and not suspended, published or cancelled and
not deleted, and nothing of a draft, a deleted event, or a private, suspended or deleted
group, for the site and for each group, filtered by group and by a search word; they are
the same for everyone and set no cookie.

Groups are made so that those to leave out come between those to show, and each group's
events in an order other than their dates."""

import html
import re
from datetime import timedelta

import feedparser
import pytest
from icalendar import Calendar

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import make_group, settings_form
from tests.polls.support import logged_in
from webapp.database.times import utcnow
from webapp.events.models import EventStatus
from webapp.extensions import db

# Each group: (slug, visibility, life) and whether its events may show.
GROUPS = (
    ("quiet-club", "private", {}, False),
    ("walkers", "public", {}, True),
    ("frozen", "public", {"suspended_at": True}, False),
    ("gone", "public", {"deleted_at": True}, False),
    ("hidden-gone", "private", {"deleted_at": True}, False),
    ("readers", "public", {}, True),
)
# Each event of each group: (title stem, fields, starts in days) and whether it may show.
EVENTS = (
    ("late walk", {}, 9, True),
    ("draft", {"status": EventStatus.DRAFT}, 3, False),
    ("called off", {"status": EventStatus.CANCELLED}, 5, True),
    ("deleted", {"deleted_at": True}, 4, False),
    ("early meet", {}, 2, True),
)


def _moment(fields):
    return {name: utcnow() if value is True else value for name, value in fields.items()}


@pytest.fixture
def town(app):
    """{"shown": titles the site's feeds must show, "by group": {slug: titles}}."""
    shown, by_group = [], {}
    with app.app_context():
        olu = make_user(email="olu@example.org")
        for slug, visibility, life, group_shows in GROUPS:
            group = make_group(
                olu, name=slug.title(), slug=slug, visibility=visibility, **_moment(life)
            )
            by_group[slug] = []
            for stem, fields, days, event_shows in EVENTS:
                title = f"{slug} {stem}"
                make_event(
                    group,
                    title=title,
                    description=f"About {stem}.",
                    starts_in=timedelta(days=days, hours=len(slug)),
                    time_zone="America/New_York",
                    **_moment(fields),
                )
                if group_shows and event_shows:
                    shown.append(title)
                    by_group[slug].append(title)
        db.session.commit()
    return {"shown": shown, "by group": by_group}


def calendar_of(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def summaries(response):
    return [str(event["SUMMARY"]) for event in calendar_of(response).walk("VEVENT")]


def atom_of(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def entry_titles(response):
    return [entry.title for entry in atom_of(response).entries]


def test_the_site_calendar_shows_public_events_alone_in_order_of_start(client, town):
    calendar = calendar_of(client.get("/events.ics"))
    events = calendar.walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == sorted(town["shown"])
    starts = [e.DTSTART for e in events]
    assert starts == sorted(starts)
    # A cancelled event stays, marked so, for calendars that had it.
    status = {str(e["SUMMARY"]): str(e["STATUS"]) for e in events}
    assert status["walkers called off"] == "CANCELLED"
    assert status["walkers late walk"] == "CONFIRMED"
    # Each with its zone's rules, its page and its stable UID, as its own .ics has.
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert all(e["DTSTART"].params["TZID"] == "America/New_York" for e in events)
    assert all(str(e["UID"]).startswith("event-") and "/events/" in str(e["URL"]) for e in events)


def test_the_site_atom_feed_shows_public_events_alone(client, town):
    feed = atom_of(client.get("/events.atom"))
    titles = [entry.title for entry in feed.entries]
    expected = [
        f"Cancelled: {title}" if "called off" in title else title for title in town["shown"]
    ]
    assert sorted(titles) == sorted(expected)
    entry = next(e for e in feed.entries if e.title == "readers early meet")
    assert entry.link.startswith("http") and "/events/" in entry.link
    assert entry.author == "Readers"
    assert "About early meet." in entry.content[0].value
    assert feed.feed.links and any(link.rel == "self" for link in feed.feed.links)


@pytest.mark.parametrize("kind", ["ics", "atom"])
def test_each_public_group_has_its_feeds_and_no_other_group_does(client, town, kind):
    read = summaries if kind == "ics" else entry_titles
    for slug, _visibility, _life, shows in GROUPS:
        for path in (f"/groups/{slug}/events.{kind}", f"/events.{kind}?group={slug}"):
            response = client.get(path)
            if not shows:
                assert response.status_code == 404, path
                continue
            titles = [title.removeprefix("Cancelled: ") for title in read(response)]
            assert sorted(titles) == sorted(town["by group"][slug]), path


@pytest.mark.parametrize("kind", ["ics", "atom"])
def test_a_search_word_filters_a_feed(client, town, kind):
    read = summaries if kind == "ics" else entry_titles
    # In the descriptions ("About early meet."), in any case, of public groups alone.
    assert sorted(read(client.get(f"/events.{kind}?q=EARLY"))) == [
        "readers early meet",
        "walkers early meet",
    ]
    assert read(client.get(f"/events.{kind}?group=readers&q=early")) == ["readers early meet"]
    assert read(client.get(f"/groups/walkers/events.{kind}?q=early")) == ["walkers early meet"]
    assert read(client.get(f"/events.{kind}?q=100%25")) == []


def test_feeds_are_the_same_for_everyone_and_set_no_cookie(app, client, town):
    with app.app_context():
        make_user(email="member@example.org")
    anonymous = [client.get(path) for path in ("/events.ics", "/groups/walkers/events.atom")]
    for response in anonymous:
        assert response.headers["Cache-Control"].startswith("public, max-age=")
        assert "Set-Cookie" not in response.headers
        assert "Accept-Language" in response.headers["Vary"]
    member = logged_in(app, "member@example.org")
    again = [member.get(path) for path in ("/events.ics", "/groups/walkers/events.atom")]
    assert [r.data for r in again] == [r.data for r in anonymous]


def test_a_feed_is_written_in_the_readers_language(client, town):
    spanish = client.get("/events.atom", headers={"Accept-Language": "es"})
    english = client.get("/events.atom", headers={"Accept-Language": "en"})
    assert [e.title for e in atom_of(spanish).entries if e.title.startswith("Cancelado: ")]
    assert "<title>Eventos en Hearth</title>" in spanish.data.decode()
    assert spanish.headers["ETag"] != english.headers["ETag"]


def test_a_groups_old_address_moves_to_its_feed(app, client, auth, town):
    auth.login("olu@example.org")
    response = client.submit(
        "/groups/walkers/manage/settings",
        settings_form("Walkers", "hikers"),
    )
    assert response.status_code in (200, 303), response.status_code
    moved = client.get("/groups/walkers/events.ics")
    assert moved.status_code == 301
    assert moved.location.endswith("/groups/hikers/events.ics")
    site = client.get("/events.atom?group=walkers&q=walk")
    assert site.status_code == 301
    assert site.location.endswith("/events.atom?q=walk&group=hikers")


def alternates(response):
    """The (type, href) of each <link rel="alternate"> of a page, and of each visible
    link of that type."""
    page = response.data.decode()
    found = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">', page)
    shown = re.findall(r'<a href="([^"]+)" type="(text/calendar|application/atom\+xml)">', page)
    assert sorted(found) == sorted((kind, href) for href, kind in shown)
    return [html.unescape(href) for _kind, href in found]


def test_public_pages_name_their_feeds_and_private_ones_none(app, client, town):
    assert alternates(client.get("/groups/walkers")) == [
        "/groups/walkers/events.ics",
        "/groups/walkers/events.atom",
    ]
    assert alternates(client.get("/events")) == ["/events.ics", "/events.atom"]
    # The list's feeds are those of what it lists: its group, its search as typed.
    assert alternates(client.get("/events?group=readers&q=walk")) == [
        "/events.ics?group=readers&q=walk",
        "/events.atom?group=readers&q=walk",
    ]
    typed = client.get("/events?q=meet", headers={"HX-Request": "true"})
    assert "/events.atom?q=meet" in html.unescape(typed.data.decode())
    # Each link named opens.
    for path in alternates(client.get("/events?group=readers&q=walk")):
        assert client.get(path).status_code == 200
    # A private group's page (to its members) names none, nor the list of its events.
    member = logged_in(app, "olu@example.org")
    assert alternates(member.get("/groups/quiet-club")) == []
    assert alternates(member.get("/events?group=quiet-club")) == []
