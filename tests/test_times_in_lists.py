"""Lists that mix events and polls of many zones show each time on the viewer's clocks,
with the event's (or poll's) own zone beside it only where its clocks read another time;
a poll's closing time names its zone. A visitor reads the site's zone (UTC). Checked
through every page that lists them: home, /events, the group page, "My tasks", a date
poll's slots and the lists of polls."""

import html as html_module
import re
from datetime import UTC, datetime

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll
from tests.tasks.factories import make_task
from webapp.events import cards

# Kiri lives in Auckland; Nadia organises from New York.
AUCKLAND, NEW_YORK = "Pacific/Auckland", "America/New_York"

# A New York event, made first but listed second: 18:00 in New York is noon next day in Auckland.
HARBOUR_WALK = "Harbour walk"
WALK_FOR_KIRI = (
    "Wed 16 Jan 2030, 12:00 NZDT (Tue 15 Jan 2030, 18:00 in America/New York,"
    " the event's time zone)"
)
WALK_ON_ITS_CLOCKS = "Tue 15 Jan 2030, 18:00 EST"
WALK_FOR_A_VISITOR = "Tue 15 Jan 2030, 23:00 UTC (18:00 in America/New York, the event's time zone)"
# An Auckland event: Kiri's clocks read what its own do, so no second time.
FISH_SUPPER = "Fish supper"
SUPPER_FOR_KIRI = "Thu 10 Jan 2030, 19:00 NZDT"
SUPPER_FOR_A_VISITOR = (
    "Thu 10 Jan 2030, 06:00 UTC (19:00 in Pacific/Auckland, the event's time zone)"
)

# A date poll on New York's clocks, and its closing time.
SLOT_FOR_KIRI = (
    "Sat 2 Feb 2030, 12:00\N{EN DASH}14:00 NZDT (Fri 1 Feb 2030, 18:00\N{EN DASH}20:00 EST"
    " in America/New York, the poll's time zone)"
)
CLOSES_FOR_KIRI = (
    "closes Mon 21 Jan 2030, 06:00 NZDT (Sun 20 Jan 2030, 12:00 in America/New York,"
    " the poll's time zone)"
)
CLOSES_FOR_NADIA = "closes Sun 20 Jan 2030, 12:00 EST"
# A poll on Auckland's clocks closes at a time that needs no second zone for Kiri.
AUCKLAND_CLOSES_FOR_KIRI = "closes Fri 25 Jan 2030, 17:00 NZDT"


def at(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def harbour(app):
    """A public group with a New York event and an Auckland one, a task on each for Kiri,
    a date poll on New York's clocks and a plain poll on Auckland's; returns the poll's id."""
    with app.app_context():
        nadia = make_user(email="nadia@example.org", time_zone=NEW_YORK)
        kiri = make_user(email="kiri@example.org", time_zone=AUCKLAND)
        group = make_group(nadia, name="Harbour club", slug="harbour")
        add_member(group, kiri)
        walk = make_event(
            group, title=HARBOUR_WALK, time_zone=NEW_YORK, starts_at=at(2030, 1, 15, 23)
        )
        supper = make_event(
            group, title=FISH_SUPPER, time_zone=AUCKLAND, starts_at=at(2030, 1, 10, 6)
        )
        make_task(walk, title="Bring a torch", assignee=kiri)
        make_task(supper, title="Bring lemons", assignee=kiri)
        poll_id = make_poll(
            group,
            question="When shall we sail?",
            time_zone=NEW_YORK,
            slots=[(at(2030, 2, 1, 23), at(2030, 2, 2, 1))],
            closes_at=at(2030, 1, 20, 17),
        ).id
        make_poll(
            group, question="Which harbour?", time_zone=AUCKLAND, closes_at=at(2030, 1, 25, 4)
        )
    cards._kept.cache_clear()
    return poll_id


def text_of(response):
    """What a person reads on the page: its text, tags gone, spaces collapsed."""
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = html_module.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", page).replace(" )", ")").replace("( ", "(")


EVENT_PAGES = ["/", "/events", "/groups/harbour", "/tasks"]


@pytest.mark.parametrize("path", EVENT_PAGES)
def test_a_member_reads_each_event_on_her_own_clocks(client, auth, harbour, path):
    auth.login("kiri@example.org")
    text = text_of(client.get(path))
    assert WALK_FOR_KIRI in text
    assert SUPPER_FOR_KIRI in text
    # The event's own clocks only beside the viewer's, and only for the event that needs them.
    assert WALK_ON_ITS_CLOCKS not in text
    assert "in Pacific/Auckland" not in text
    assert text.count("the event's time zone") == 1


@pytest.mark.parametrize("path", ["/", "/events", "/groups/harbour"])
def test_a_visitor_reads_the_sites_zone_with_each_events_own(client, harbour, path):
    text = text_of(client.get(path))
    assert WALK_FOR_A_VISITOR in text
    assert SUPPER_FOR_A_VISITOR in text


def test_a_card_is_kept_for_each_zone_it_was_shown_in(client, auth, harbour):
    """A card rendered for a visitor (UTC) is not what Kiri gets, nor the other way round."""
    assert WALK_FOR_A_VISITOR in text_of(client.get("/events"))
    auth.login("kiri@example.org")
    text = text_of(client.get("/events"))
    assert WALK_FOR_KIRI in text
    assert "UTC" not in text


@pytest.mark.parametrize("path", ["/", "/groups/harbour"])
def test_a_polls_closing_time_names_its_zone(client, auth, harbour, path):
    auth.login("kiri@example.org")
    text = text_of(client.get(path))
    assert CLOSES_FOR_KIRI in text
    assert AUCKLAND_CLOSES_FOR_KIRI in text
    assert "in Pacific/Auckland, the poll's time zone" not in text


def test_the_polls_own_zone_reads_its_abbreviation_alone(client, auth, harbour):
    auth.login("nadia@example.org")
    text = text_of(client.get("/groups/harbour"))
    assert CLOSES_FOR_NADIA in text
    assert f"{CLOSES_FOR_NADIA} (" not in text
    assert "in America/New York, the poll's time zone" not in text


def test_a_date_polls_slots_on_the_viewers_clocks(client, auth, harbour):
    poll_path = f"/polls/{harbour}"
    auth.login("kiri@example.org")
    text = text_of(client.get(poll_path))
    assert SLOT_FOR_KIRI in text
    assert (
        "Open until Mon 21 Jan 2030, 06:00 NZDT (Sun 20 Jan 2030, 12:00 in America/New York" in text
    )
    # The organiser, on the poll's own clocks, reads the slot once.
    auth.logout()
    auth.login("nadia@example.org")
    text = text_of(client.get(poll_path))
    assert "Fri 1 Feb 2030, 18:00\N{EN DASH}20:00 EST" in text
    assert "the poll's time zone" not in text
    votes = text_of(client.get(f"{poll_path}/manage/votes"))
    assert "the poll's time zone" not in votes
