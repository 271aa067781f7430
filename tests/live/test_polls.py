"""A live part's poll that finds nothing new is answered in front of Flask (webapp.live.front):
204 with the headers every answer carries, counted, unlogged, the session untouched; what
it cannot answer goes on to the view as before."""

import logging

import pytest

from tests.events.rsvp.support import event_with_members
from tests.events.rsvp.test_live import logged_in, poll, poll_url
from tests.operations.test_metrics import scrape, value
from tests.support.logs import own_records
from webapp.events.models import Event
from webapp.events.rsvp.services import panel_changed
from webapp.extensions import db
from webapp.web.hooks import SECURITY_HEADERS
from webapp.web.request_ids import HEADER as REQUEST_ID

ENDPOINT = "events.rsvp.live_panel"


@pytest.fixture
def watching(app):
    """A member's client and the live address of the RSVP panel they are looking at."""
    with app.app_context():
        setup = event_with_members(2, capacity=1, title="Night market")
    member = logged_in(app, setup.emails[0])
    url = poll_url(member.get(f"/events/{setup.event_id}/rsvp"), setup.event_id)
    return setup, member, url


def test_every_live_part_is_answered_in_front_when_nothing_changed(app):
    """A class: a poll of any live part (its address ends in /live) must be marked, or it
    pays for all of Flask on every poll of every open page."""
    live_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.endswith("/live")]
    assert {rule.endpoint for rule in live_rules} >= {
        ENDPOINT,
        "polls.live_results",
        "accounts.export_live",
    }
    for rule in live_rules:
        assert hasattr(app.view_functions[rule.endpoint], "live_topic_of"), rule.endpoint


def test_a_current_poll_gets_204_before_flask(app, watching, caplog, monkeypatch):
    _, member, url = watching
    ran = []
    monkeypatch.setattr(app, "full_dispatch_request", lambda: ran.append(1))
    caplog.set_level(logging.INFO, logger="hearth.request")

    answer = poll(member, url)

    assert answer.status_code == 204 and answer.get_data() == b""
    assert ran == [], "the request went through Flask"
    for name, policy in SECURITY_HEADERS.items():
        assert answer.headers[name] == policy
    assert answer.headers["Cache-Control"] == "no-store"
    assert len(answer.headers[REQUEST_ID]) == 32
    assert "Set-Cookie" not in answer.headers
    # One line per open page every few seconds would bury the lines that matter.
    assert not own_records(caplog, "hearth.request")


def test_the_polls_answered_in_front_are_counted(app, client, watching):
    _, member, url = watching
    labels = {"endpoint": ENDPOINT, "method": "GET", "status": "204"}
    before = value(scrape(client), "hearth_requests_total", **labels)
    for _ in range(3):
        assert poll(member, url).status_code == 204
    after = scrape(client)
    assert value(after, "hearth_requests_total", **labels) == before + 3
    assert value(after, "hearth_request_duration_seconds_count", endpoint=ENDPOINT) >= 3


def test_what_cannot_be_answered_in_front_goes_on_to_the_view(app, watching):
    setup, member, url = watching
    # Without htmx: the view sends the browser to the panel's page.
    assert member.get(url).status_code == 303
    boosted = member.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert boosted.status_code == 303
    # A version with a NUL byte: the input guard refuses it, as everywhere.
    assert poll(member, url + "%00").status_code == 400
    # Not a number where the route wants one: no route, a 404 from Flask.
    assert poll(member, "/events/x/rsvp/live?v=1").status_code == 404
    # The version moved: the fresh panel.
    with app.app_context():
        panel_changed(db.session.get(Event, setup.event_id))
        db.session.commit()
    fresh = poll(member, url)
    assert fresh.status_code == 200
    assert 'id="rsvp-panel' in fresh.get_data(as_text=True)
    assert poll(member, poll_url(fresh, setup.event_id)).status_code == 204


def test_with_redis_away_the_view_answers(app, watching, monkeypatch):
    _, member, url = watching

    class Away:
        def __getattr__(self, name):
            raise ConnectionError("Redis is away")

    monkeypatch.setitem(app.extensions, "redis", Away())
    answer = poll(member, url)
    assert answer.status_code == 200
    assert 'id="rsvp-panel' in answer.get_data(as_text=True)
