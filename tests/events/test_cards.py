"""/events renders each card once for what it shows (webapp.events.cards): a second view
renders none again, and a card whose event changed (people going, its title) is rendered
afresh; a title's markup is escaped as anywhere else."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.auth import html
from webapp.accounts.models import User
from webapp.events import cards
from webapp.events.models import Event
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db


@pytest.fixture
def choir(app):
    """A public group with three upcoming events; Mina is a member."""
    with app.app_context():
        group = make_group(make_user(email="olga@example.org"), name="Choir", slug="choir")
        add_member(group, make_user(email="mina@example.org"))
        for day, title in enumerate(["Rehearsal", "Concert", "<b>Bold</b> & co"], start=1):
            make_event(group, title=title, starts_in=timedelta(days=day))
    cards._kept.cache_clear()


def going_of(response, title):
    card = re.search(
        rf">{re.escape(title)}</a></h2>.*?<span>(\d+) going</span>", html(response), re.S
    )
    return int(card.group(1))


def test_a_second_view_renders_no_card_again(client, choir):
    client.get("/events")
    rendered = cards._kept.cache_info().misses
    assert rendered == 3
    assert client.get("/events").status_code == 200
    assert cards._kept.cache_info().misses == rendered


def test_a_card_shows_its_event_as_it_is_now(app, client, choir):
    assert going_of(client.get("/events"), "Concert") == 0
    with app.app_context():
        concert = db.session.scalar(sa.select(Event).where(Event.title == "Concert"))
        mina = db.session.scalar(sa.select(User).where(User.email == "mina@example.org"))
        answer_event(mina, concert, "going")
        concert.title = "Winter concert"
        db.session.commit()
    response = client.get("/events")
    assert going_of(response, "Winter concert") == 1
    assert ">Concert<" not in html(response)


def test_a_title_is_escaped_in_its_card(client, choir):
    page = html(client.get("/events"))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert "<b>Bold</b>" not in page


def test_a_card_is_kept_for_each_language_it_is_read_in(client, choir):
    client.get("/events")
    in_english = cards._kept.cache_info().misses
    client.set_cookie("hearth_language", "es")
    assert client.get("/events").status_code == 200
    assert cards._kept.cache_info().misses == in_english + 3
    client.delete_cookie("hearth_language")
    client.get("/events")
    assert cards._kept.cache_info().misses == in_english + 3
