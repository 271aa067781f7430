"""The RSVP panel's live part: a poll whose version is current costs one Redis read and no
SQL (204); one whose version is behind gets the fresh panel (200); one for an event that
can no longer change stops the polling (286)."""

import re
from datetime import timedelta

import pytest

from tests.events.rsvp.support import event_with_members, redis_commands_asked, statements_run
from tests.support.auth import html, login_data
from webapp import live
from webapp.database.redis_client import get_redis
from webapp.database.times import utcnow
from webapp.events import signals
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.services import panel_topic
from webapp.extensions import db


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


def poll_url(response, event_id):
    """The live URL a panel polls, with the version it shows."""
    found = re.search(rf'hx-get="(/events/{event_id}/rsvp/live\?v=[^"]*)"', html(response))
    assert found, "the panel does not poll"
    return found.group(1)


def poll(client, url):
    return client.get(url, headers={"HX-Request": "true"})


@pytest.fixture
def setup(app):
    with app.app_context():
        return event_with_members(2, capacity=1, title="Night market")


def test_nothing_changed_is_a_204_without_a_single_sql_statement(app, setup):
    member = logged_in(app, setup.emails[0])
    url = poll_url(member.get(f"/events/{setup.event_id}-night-market"), setup.event_id)
    with statements_run(app) as statements:
        response = poll(member, url)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert statements == []


def test_a_visitors_poll_runs_no_sql_either(app, client, setup):
    url = poll_url(client.get(f"/events/{setup.event_id}/rsvp"), setup.event_id)
    with statements_run(app) as statements:
        assert poll(client, url).status_code == 204
    assert statements == []


def test_after_another_member_answers_the_poll_brings_the_fresh_panel(app, setup):
    watcher = logged_in(app, setup.emails[0])
    url = poll_url(watcher.get(f"/events/{setup.event_id}/rsvp"), setup.event_id)
    other = logged_in(app, setup.emails[1])
    assert other.submit(f"/events/{setup.event_id}/rsvp", {"answer": "going"}).status_code == 303

    response = poll(watcher, url)
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith(f'<section id="rsvp-panel-{setup.event_id}"')
    assert "Full" in body and "<strong>1</strong> going" in body
    # The fresh panel carries the new version: polling it again is cheap.
    fresh = poll_url(response, setup.event_id)
    assert fresh != url
    with statements_run(app) as statements:
        assert poll(watcher, fresh).status_code == 204
    assert statements == []


def test_a_refused_answer_bumps_nothing(app, setup):
    watcher = logged_in(app, setup.emails[0])
    url = poll_url(watcher.get(f"/events/{setup.event_id}/rsvp"), setup.event_id)
    response = watcher.submit(f"/events/{setup.event_id}/rsvp", {"answer": "going", "guests": "4"})
    assert response.status_code == 422
    assert poll(watcher, url).status_code == 204


def test_a_cancelled_event_stops_the_polling(app, setup):
    watcher = logged_in(app, setup.emails[0])
    url = poll_url(watcher.get(f"/events/{setup.event_id}/rsvp"), setup.event_id)
    with app.app_context():
        event = db.session.get(Event, setup.event_id)
        event.status = EventStatus.CANCELLED
        event.cancelled_at = utcnow()
        db.session.flush()
        signals.event_cancelled.send(event)
        db.session.commit()
    response = poll(watcher, url)
    assert response.status_code == 286
    assert "No answers: the event is cancelled." in html(response)
    assert "hx-trigger" not in html(response)


def test_a_deleted_event_stops_the_polling_with_a_word(app, setup):
    watcher = logged_in(app, setup.emails[0])
    url = poll_url(watcher.get(f"/events/{setup.event_id}/rsvp"), setup.event_id)
    with app.app_context():
        event = db.session.get(Event, setup.event_id)
        event.deleted_at = utcnow()
        db.session.flush()
        signals.event_deleted.send(event)
        db.session.commit()
    response = poll(watcher, url)
    assert response.status_code == 286
    assert f'id="rsvp-panel-{setup.event_id}"' in html(response)
    assert "This event was deleted." in html(response)


def test_an_event_that_ended_stops_the_polling_even_without_a_change(app, client):
    with app.app_context():
        setup = event_with_members(1, starts_in=timedelta(hours=-3), duration=timedelta(hours=1))
    page = client.get(f"/events/{setup.event_id}/rsvp")
    assert "hx-trigger" not in html(page)
    assert "This event has ended." in html(page)
    with app.app_context():
        # A panel shown while it was on, polling with the version it had then.
        version = db.session.get(Event, setup.event_id).rsvp_version
    response = poll(client, f"/events/{setup.event_id}/rsvp/live?v={version}")
    assert response.status_code == 286
    assert "This event has ended." in html(response)


def test_a_poll_with_no_version_or_a_stale_one_gets_the_panel(app, client, setup):
    for url in (
        f"/events/{setup.event_id}/rsvp/live",
        f"/events/{setup.event_id}/rsvp/live?v=1",
    ):
        response = poll(client, url)
        assert response.status_code == 200
        assert f'id="rsvp-panel-{setup.event_id}"' in html(response)


def test_without_htmx_the_live_address_leads_to_the_panel(client, setup):
    response = client.get(f"/events/{setup.event_id}/rsvp/live?v=1")
    assert response.status_code == 303
    assert response.location == f"/events/{setup.event_id}/rsvp"


def test_a_poll_for_an_event_one_may_not_see_is_not_found(app, client):
    with app.app_context():
        setup = event_with_members(1, status=EventStatus.DRAFT)
    assert poll(client, f"/events/{setup.event_id}/rsvp/live?v=1").status_code == 404
    assert poll(client, "/events/999999/rsvp/live?v=1").status_code == 404


def test_versions_move_only_after_commit(app, setup):
    key = panel_topic(setup.event_id)
    with app.app_context():
        before = live.version_to_show(key)
        live.bump_after_commit(key)
        db.session.rollback()
        assert live.unchanged(key, before)
        live.bump_after_commit(key)
        db.session.commit()
        assert not live.unchanged(key, before)
        assert int(live.version_to_show(key)) == int(before) + 1


def test_redis_away_means_fresh_panels_not_errors(app, client, setup, monkeypatch):
    class Away:
        def __getattr__(self, name):
            raise ConnectionError("Redis is away")

    monkeypatch.setitem(app.extensions, "redis", Away())
    page = client.get(f"/events/{setup.event_id}/rsvp")
    assert page.status_code == 200
    url = poll_url(page, setup.event_id)
    # The version comes with the event, from the database: the page needs no Redis for it.
    with app.app_context():
        assert url.endswith(f"?v={db.session.get(Event, setup.event_id).rsvp_version}")
    assert poll(client, url).status_code == 200
    member = logged_in(app, setup.emails[0])
    assert member.submit(f"/events/{setup.event_id}/rsvp", {"answer": "going"}).status_code == 303


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
@pytest.mark.parametrize("path", ["/events/{id}-night-market", "/events/{id}/rsvp"])
def test_what_shows_the_panel_reads_its_version_with_the_event_not_from_redis(
    app, setup, path, htmx
):
    member = logged_in(app, setup.emails[0])
    headers = {"HX-Request": "true"} if htmx else {}
    with redis_commands_asked(app) as asked:
        response = member.get(path.format(id=setup.event_id), headers=headers)
    assert response.status_code == 200
    assert asked == []
    with app.app_context():
        version = db.session.get(Event, setup.event_id).rsvp_version
    assert poll_url(response, setup.event_id).endswith(f"?v={version}")


def test_each_change_moves_the_version_on_in_the_row_and_in_redis(app, setup):
    with app.app_context():
        before = db.session.get(Event, setup.event_id).rsvp_version
    member = logged_in(app, setup.emails[0])
    url = f"/events/{setup.event_id}/rsvp"
    assert member.submit(url, {"answer": "going"}).status_code == 303
    assert member.submit(url, {"answer": "maybe"}).status_code == 303
    owner = logged_in(app, setup.owner_email)
    assert owner.submit(f"/events/{setup.event_id}/manage/cancel").status_code == 303
    with app.app_context():
        after = db.session.get(Event, setup.event_id).rsvp_version
        assert after == before + 3
        assert get_redis().hget(panel_topic(setup.event_id), live.VERSION) == str(after).encode()


def test_a_topic_redis_forgot_costs_one_render_then_polls_are_204_again(app, setup):
    member = logged_in(app, setup.emails[0])
    url = poll_url(member.get(f"/events/{setup.event_id}/rsvp"), setup.event_id)
    with app.app_context():
        get_redis().delete(panel_topic(setup.event_id))
    response = poll(member, url)
    assert response.status_code == 200
    assert poll_url(response, setup.event_id) == url
    with statements_run(app) as statements:
        assert poll(member, url).status_code == 204
    assert statements == []
