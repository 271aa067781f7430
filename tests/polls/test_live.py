"""The poll results' live part: a poll whose version is current costs one Redis read and no
SQL (204); one whose version is behind gets the fresh results (200); once the poll is
closed, by hand or by its time, the last results stop the polling (286). The version is
the poll's own (Poll.results_version): pages read it with the poll and ask Redis nothing,
and a topic Redis forgot or missed is made good by the next poll."""

import re
from datetime import timedelta

import pytest

from tests.events.rsvp.support import redis_commands_asked, statements_run
from tests.polls.factories import make_poll
from tests.polls.support import group_with_people, logged_in, poll_of_two_members
from tests.support.auth import html
from webapp import live
from webapp.database.redis_client import get_redis
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.changes import results_topic
from webapp.polls.models import Poll


def live_url(response, poll_id):
    """The live URL the results poll, with the version they show."""
    found = re.search(rf'hx-get="(/polls/{poll_id}/results/live\?v=[^"]*)"', html(response))
    assert found, "the results do not poll"
    return found.group(1)


def poll_of(client, url):
    return client.get(url, headers={"HX-Request": "true"})


@pytest.fixture
def setup(app):
    return poll_of_two_members(app)


def test_nothing_changed_is_a_204_without_a_single_sql_statement(app, setup):
    people, poll_id, _ = setup
    member = logged_in(app, people.members[0])
    url = live_url(member.get(f"/polls/{poll_id}"), poll_id)
    with statements_run(app) as statements:
        response = poll_of(member, url)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert statements == []


def test_after_another_member_votes_the_poll_brings_the_fresh_results(app, setup):
    people, poll_id, (park, _) = setup
    watcher = logged_in(app, people.members[0])
    url = live_url(watcher.get(f"/polls/{poll_id}"), poll_id)
    voter = logged_in(app, people.members[1])
    assert voter.submit(f"/polls/{poll_id}/vote", {"option": park}).status_code == 303

    response = poll_of(watcher, url)
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith(f'<section id="poll-results-{poll_id}"')
    assert "1 vote (100%)" in body and "1 person voted" in body
    fresh = live_url(response, poll_id)
    assert fresh != url
    with statements_run(app) as statements:
        assert poll_of(watcher, fresh).status_code == 204
    assert statements == []


def test_a_refused_vote_bumps_nothing(app, setup):
    people, poll_id, _ = setup
    watcher = logged_in(app, people.members[0])
    url = live_url(watcher.get(f"/polls/{poll_id}"), poll_id)
    assert watcher.submit(f"/polls/{poll_id}/vote", {"option": "999999"}).status_code == 422
    assert poll_of(watcher, url).status_code == 204


def test_closing_by_hand_stops_the_polling_with_the_final_results(app, setup):
    people, poll_id, _ = setup
    watcher = logged_in(app, people.members[0])
    url = live_url(watcher.get(f"/polls/{poll_id}"), poll_id)
    owner = logged_in(app, people.owner)
    assert owner.submit(f"/polls/{poll_id}/manage/close").status_code == 303
    response = poll_of(watcher, url)
    assert response.status_code == 286
    assert "(final)" in html(response)
    assert "hx-trigger" not in html(response)


def test_the_closing_time_passing_stops_the_polling_without_a_change(app, setup):
    people, poll_id, _ = setup
    member = logged_in(app, people.members[0])
    with app.app_context():
        poll = db.session.get(Poll, poll_id)
        poll.closes_at = utcnow() + timedelta(hours=1)
        db.session.commit()
    # A page shown while it was open, polling with the version it had then.
    url = live_url(member.get(f"/polls/{poll_id}"), poll_id)
    with app.app_context():
        poll = db.session.get(Poll, poll_id)
        poll.closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        # The topic knows when the results stop changing, as it was told when the poll
        # was made.
        live.publish(results_topic(poll_id), poll.results_version, until=poll.closes_at)
    response = poll_of(member, url)
    assert response.status_code == 286


def test_the_vote_answer_for_htmx_carries_the_fresh_results_out_of_band(app, setup):
    people, poll_id, (park, _) = setup
    member = logged_in(app, people.members[0])
    response = member.submit(f"/polls/{poll_id}/vote", {"option": park}, htmx=True)
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith(f'<section id="poll-ballot-{poll_id}"')
    assert f'id="poll-results-{poll_id}" class="poll-results"' in body
    assert 'hx-swap-oob="true"' in body and "1 vote (100%)" in body
    assert "Change my vote" in body


def test_without_htmx_the_live_address_leads_to_the_results(client, setup):
    _, poll_id, _ = setup
    response = client.get(f"/polls/{poll_id}/results/live?v=1")
    assert response.status_code == 303
    assert response.location == f"/polls/{poll_id}/results"


def test_a_poll_one_may_not_see_is_not_found_live(app, client):
    with app.app_context():
        people = group_with_people(1, visibility="private")
        poll_id = make_poll(db.session.get(Group, people.group_id)).id
    assert poll_of(client, f"/polls/{poll_id}/results/live?v=1").status_code == 404
    assert poll_of(client, "/polls/999999/results/live?v=1").status_code == 404


def test_redis_away_means_fresh_results_not_errors(app, client, setup, monkeypatch):
    people, poll_id, (park, _) = setup

    class Away:
        def __getattr__(self, name):
            raise ConnectionError("Redis is away")

    monkeypatch.setitem(app.extensions, "redis", Away())
    page = client.get(f"/polls/{poll_id}")
    assert page.status_code == 200
    url = live_url(page, poll_id)
    # The version comes with the poll, from the database: the page needs no Redis for it.
    with app.app_context():
        assert url.endswith(f"?v={db.session.get(Poll, poll_id).results_version}")
    assert poll_of(client, url).status_code == 200
    member = logged_in(app, people.members[0])
    assert member.submit(f"/polls/{poll_id}/vote", {"option": park}).status_code == 303


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
@pytest.mark.parametrize("path", ["/polls/{id}", "/polls/{id}/results", "/polls/{id}/vote"])
def test_what_shows_the_results_reads_their_version_with_the_poll_not_from_redis(
    app, setup, path, htmx
):
    people, poll_id, _ = setup
    member = logged_in(app, people.members[0])
    headers = {"HX-Request": "true"} if htmx else {}
    with redis_commands_asked(app) as asked:
        response = member.get(path.format(id=poll_id), headers=headers)
    assert response.status_code == 200
    assert asked == []
    with app.app_context():
        version = db.session.get(Poll, poll_id).results_version
    assert live_url(response, poll_id).endswith(f"?v={version}")


def test_each_change_moves_the_version_on_in_the_row_and_in_redis(app, setup):
    people, poll_id, (park, pub) = setup
    with app.app_context():
        before = db.session.get(Poll, poll_id).results_version
    member = logged_in(app, people.members[0])
    assert member.submit(f"/polls/{poll_id}/vote", {"option": park}).status_code == 303
    assert member.submit(f"/polls/{poll_id}/vote", {"option": pub}).status_code == 303
    with app.app_context():
        after = db.session.get(Poll, poll_id).results_version
        assert after == before + 2
        assert get_redis().hget(results_topic(poll_id), live.VERSION) == str(after).encode()


def test_a_topic_redis_forgot_costs_one_render_then_polls_are_204_again(app, setup):
    people, poll_id, _ = setup
    member = logged_in(app, people.members[0])
    url = live_url(member.get(f"/polls/{poll_id}"), poll_id)
    with app.app_context():
        get_redis().delete(results_topic(poll_id))
    response = poll_of(member, url)
    assert response.status_code == 200
    assert live_url(response, poll_id) == url
    with statements_run(app) as statements:
        assert poll_of(member, url).status_code == 204
    assert statements == []


def test_a_change_redis_missed_reaches_older_pages_once_a_newer_one_polls(app, setup, monkeypatch):
    people, poll_id, (park, _) = setup
    watcher = logged_in(app, people.members[0])
    old_url = live_url(watcher.get(f"/polls/{poll_id}"), poll_id)
    voter = logged_in(app, people.members[1])

    class Away:
        def __getattr__(self, name):
            raise ConnectionError("Redis is away")

    real = app.extensions["redis"]
    monkeypatch.setitem(app.extensions, "redis", Away())
    assert voter.submit(f"/polls/{poll_id}/vote", {"option": park}).status_code == 303
    monkeypatch.setitem(app.extensions, "redis", real)

    # The vote is committed; its version never reached Redis. A page loaded now shows it,
    # and its first poll tells Redis.
    new_url = live_url(voter.get(f"/polls/{poll_id}"), poll_id)
    assert new_url != old_url
    assert poll_of(voter, new_url).status_code == 200
    assert poll_of(voter, new_url).status_code == 204
    response = poll_of(watcher, old_url)
    assert response.status_code == 200
    assert "1 person voted" in html(response)
