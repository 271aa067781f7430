"""The event page counts its places and the people going in two spots: the "Places" line
of its facts and the RSVP panel beside it. Whatever answers (a plain form, htmx, the
panel's live poll), every copy of those counts that comes back says the same as the
others and as the rows, for the event answered, never another event's."""

import re
from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.rsvp.support import fresh_event
from tests.groups.factories import add_member, make_group
from tests.support.auth import html, login_data
from tests.support.html_checks import text_outside, top_level_ids
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db


class Club(NamedTuple):
    quiz_id: int  # the event answered in these tests
    supper_id: int  # another event of the group, with other counts
    emails: list


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


@pytest.fixture
def club(app):
    """A group of five whose supper (made first, lower id) has three going of six places, and
    whose quiz night (the one answered) has one going of three places: a count read from the
    wrong event, or from before the answer, differs from the right one."""
    with app.app_context():
        owner = make_user(email="ines@example.org")
        group = make_group(owner, name="Quiz League")
        people = [add_member(group, make_user()).user for _ in range(4)]
        supper = make_event(group, title="Harvest supper", capacity=6)
        quiz = make_event(group, title="Quiz night", capacity=3)
        for person in people[:3]:
            answer_event(person, supper, "going")
        answer_event(people[3], quiz, "going")
        db.session.commit()
        return Club(quiz.id, supper.id, [person.email for person in people])


def text_of(markup):
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def places_lines(body, event_id):
    """Each "Places" line of event_id in body, as (its text, whether it is out of band)."""
    return [
        (text_of(inner), "hx-swap-oob" in attrs)
        for attrs, inner in re.findall(
            rf'<dd id="event-places-{event_id}"([^>]*)>(.*?)</dd>', body, re.S
        )
    ]


def panel_counts(body, event_id):
    """The counts line of each RSVP panel of event_id in body."""
    panels = re.findall(rf'<section id="rsvp-panel-{event_id}".*?</section>', body, re.S)
    return [
        text_of(re.search(r'<p class="rsvp-counts">(.*?)</p>', panel, re.S).group(1))
        for panel in panels
    ]


def counts(text):
    """(going, places left) as a count of the page says them."""
    going = int(re.search(r"(\d+) going", text).group(1))
    left = re.search(r"(\d+) places? left of \d+", text)
    return going, int(left.group(1)) if left else 0 if "Full" in text else None


def assert_one_count(app, body, event_id, oob):
    """Every copy of event_id's counts in body agrees with the others and with the rows:
    exactly one "Places" line (out of band when oob) and one panel."""
    with app.app_context():
        event = fresh_event(event_id)
        truth = (event.going_count, event.places_left)
    lines, panels = places_lines(body, event_id), panel_counts(body, event_id)
    assert [is_oob for _, is_oob in lines] == [oob], lines
    assert len(panels) == 1, panels
    said = [counts(text) for text, _ in lines] + [counts(text) for text in panels]
    assert said == [truth, truth], (said, truth)
    return truth


def test_an_answer_with_htmx_brings_the_places_line_with_the_panel(app, club):
    member = logged_in(app, club.emails[0])
    page = html(member.get(f"/events/{club.quiz_id}", follow_redirects=True))
    assert assert_one_count(app, page, club.quiz_id, oob=False) == (1, 2)

    response = member.submit(f"/events/{club.quiz_id}/rsvp", {"answer": "going"}, htmx=True)

    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith(f'<section id="rsvp-panel-{club.quiz_id}"')
    assert assert_one_count(app, body, club.quiz_id, oob=True) == (2, 1)
    # Nothing of the other event rides along.
    assert places_lines(body, club.supper_id) == []
    assert panel_counts(body, club.supper_id) == []


def test_an_answer_without_javascript_comes_back_to_a_page_that_agrees(app, club):
    member = logged_in(app, club.emails[0])
    response = member.submit(f"/events/{club.quiz_id}/rsvp", {"answer": "going"})
    assert response.status_code == 303

    page = html(member.get(response.location))

    assert assert_one_count(app, page, club.quiz_id, oob=False) == (2, 1)


def test_the_live_poll_brings_the_places_line_to_everyone_else(app, club):
    watcher = logged_in(app, club.emails[1])
    page = html(watcher.get(f"/events/{club.quiz_id}", follow_redirects=True))
    poll_url = re.search(rf'hx-get="(/events/{club.quiz_id}/rsvp/live\?[^"]*)"', page).group(1)
    answering = logged_in(app, club.emails[0])
    assert answering.submit(f"/events/{club.quiz_id}/rsvp", {"answer": "going"}).status_code == 303

    response = watcher.get(poll_url.replace("&amp;", "&"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert assert_one_count(app, html(response), club.quiz_id, oob=True) == (2, 1)


def test_a_refused_answer_brings_the_places_line_as_it_stands(app, club):
    member = logged_in(app, club.emails[0])
    response = member.submit(f"/events/{club.quiz_id}/rsvp", {"answer": "yes"}, htmx=True)
    assert response.status_code == 422
    assert assert_one_count(app, html(response), club.quiz_id, oob=True) == (1, 2)


def test_the_panels_page_of_its_own_has_the_places_line_its_answers_update(app, club):
    """The out-of-band line needs its target wherever the panel is: htmx logs an error for
    an out-of-band element with nowhere to go."""
    member = logged_in(app, club.emails[0])
    page = html(member.get(f"/events/{club.quiz_id}/rsvp"))
    assert assert_one_count(app, page, club.quiz_id, oob=False) == (1, 2)


def test_no_count_of_the_event_is_left_alone_by_an_answer(app, club):
    """Whatever the answer swaps (the panel, and out of band the Places line and the
    messages), nothing else on the event page counts its people or places."""
    member = logged_in(app, club.emails[0])
    page = html(member.get(f"/events/{club.quiz_id}", follow_redirects=True))

    response = member.submit(f"/events/{club.quiz_id}/rsvp", {"answer": "going"}, htmx=True)

    swapped = top_level_ids(html(response))
    assert {f"rsvp-panel-{club.quiz_id}", f"event-places-{club.quiz_id}"} <= set(swapped)
    left_alone = text_outside(page, swapped)
    assert not re.search(r"\d+ (going|places? left|on the waitlist|maybe)|Full", left_alone)
