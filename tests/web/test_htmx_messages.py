"""Flashed messages and fragments (webapp.web.htmx.render): the answer to an action replaces
the page's messages, out of band, with its own (none clears them); a fragment the page
fetches by itself (a live part every few seconds, a search as one types) leaves them where
they are, unless a message is waiting, which it brings."""

import re

import pytest

from tests.events.rsvp.support import event_with_members
from tests.polls.support import logged_in, poll_of_two_members
from tests.support.auth import html

MESSAGES = 'id="flashes" aria-live="polite" hx-swap-oob="true"'


@pytest.fixture
def poll(app):
    return poll_of_two_members(app)


def live_url(body, poll_id):
    return re.search(rf'hx-get="(/polls/{poll_id}/results/live\?v=[^"]*)"', body).group(1)


def test_the_results_live_part_leaves_the_message_of_ones_own_vote(app, poll):
    people, poll_id, (park, pub) = poll
    voter = logged_in(app, people.members[0])
    voted = voter.submit(f"/polls/{poll_id}/vote", {"option": park}, htmx=True)
    assert MESSAGES in html(voted) and "Your vote is saved." in html(voted)
    other = logged_in(app, people.members[1])
    assert other.submit(f"/polls/{poll_id}/vote", {"option": pub}).status_code == 303

    fresh = voter.fragment(live_url(html(voted), poll_id))

    assert fresh.status_code == 200
    assert "2 people voted" in html(fresh)
    assert 'id="flashes"' not in html(fresh)


def test_the_rsvp_panels_live_part_leaves_the_message_of_ones_own_answer(app):
    with app.app_context():
        setup = event_with_members(2, capacity=5, title="Night market")
    answer_url = f"/events/{setup.event_id}/rsvp"
    member = logged_in(app, setup.emails[0])
    answered = member.submit(answer_url, {"answer": "going"}, htmx=True)
    assert MESSAGES in html(answered) and "You are going." in html(answered)
    other = logged_in(app, setup.emails[1])
    assert other.submit(answer_url, {"answer": "going"}).status_code == 303
    url = re.search(r'hx-get="([^"]*/rsvp/live\?[^"]*)"', html(answered)).group(1)

    fresh = member.fragment(url.replace("&amp;", "&"))

    assert fresh.status_code == 200
    assert "<strong>2</strong> going" in html(fresh)
    assert 'id="flashes"' not in html(fresh)


def test_a_fetched_fragment_brings_a_message_that_is_waiting(app, poll):
    people, poll_id, (park, _) = poll
    voter = logged_in(app, people.members[0])
    # Without htmx the message waits for the page the redirect leads to.
    assert voter.submit(f"/polls/{poll_id}/vote", {"option": park}).status_code == 303

    results = voter.fragment(f"/polls/{poll_id}/results")

    assert MESSAGES in html(results) and "Your vote is saved." in html(results)
    assert 'id="flashes"' not in html(voter.fragment(f"/polls/{poll_id}/results"))


def test_a_search_as_one_types_leaves_the_messages(app, poll):
    people, _, _ = poll
    member = logged_in(app, people.members[0])
    # Logging in left a welcome waiting: the first fragment brings it, the next do not.
    assert "Welcome" in html(member.fragment("/groups?q=a"))
    found = member.fragment("/groups?q=ab")
    assert found.status_code == 200
    assert 'id="flashes"' not in html(found)


def test_a_refused_action_replaces_the_messages_with_its_own(app, poll):
    people, poll_id, (park, _) = poll
    voter = logged_in(app, people.members[0])
    voter.submit(f"/polls/{poll_id}/vote", {"option": park}, htmx=True)

    refused = voter.submit(f"/polls/{poll_id}/vote", {"option": "999999"}, htmx=True)

    assert refused.status_code == 422
    # The earlier "Your vote is saved." no longer says what happened last: it goes.
    assert MESSAGES in html(refused)
    assert "Your vote is saved." not in html(refused)
