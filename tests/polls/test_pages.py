"""The poll pages as people see them: each as a full page and as an htmx fragment, the
new-poll form growing and shrinking its rows with and without JavaScript, results shown
as the poll says, who voted what for organisers, and open polls listed where they belong."""

import pytest

from tests.events.factories import make_event
from tests.events.support import local
from tests.polls.factories import make_poll, option_ids, vote
from tests.polls.support import group_with_people, logged_in, poll_data
from tests.support.auth import html, input_value
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, ResultsShown


@pytest.fixture
def people(app):
    with app.app_context():
        return group_with_people(2)


def a_poll(app, people, **fields):
    with app.app_context():
        poll = make_poll(db.session.get(Group, people.group_id), **fields)
        return poll.id, option_ids(poll)


def vote_as(app, user_id, poll_id, *chosen):
    with app.app_context():
        vote(db.session.get(User, user_id), db.session.get(Poll, poll_id), *chosen)


def is_whole_page(response):
    return html(response).lstrip().startswith("<!doctype html>")


# -- Page and fragment


@pytest.mark.parametrize(
    ("path", "root"),
    [
        ("", '<div id="poll-{id}"'),
        ("/results", '<section id="poll-results-{id}"'),
        ("/vote", '<section id="poll-ballot-{id}"'),
    ],
)
def test_each_poll_page_is_a_page_and_a_fragment(app, people, path, root):
    poll_id, _ = a_poll(app, people)
    member = logged_in(app, people.members[0])
    page = member.get(f"/polls/{poll_id}{path}")
    assert page.status_code == 200 and is_whole_page(page)
    assert root.format(id=poll_id) in html(page)
    fragment = member.get(f"/polls/{poll_id}{path}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and not is_whole_page(fragment)
    assert html(fragment).lstrip().startswith(root.format(id=poll_id))
    assert "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize("path", ["/manage/votes", "/manage/close"])
def test_organiser_pages_are_pages_and_fragments(app, people, path):
    poll_id, _ = a_poll(app, people)
    owner = logged_in(app, people.owner)
    assert is_whole_page(owner.get(f"/polls/{poll_id}{path}"))
    fragment = owner.get(f"/polls/{poll_id}{path}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and not is_whole_page(fragment)


def test_the_results_are_bars_with_counts_and_shares_in_text(app, people):
    poll_id, (park, pub) = a_poll(app, people)
    vote_as(app, people.member_ids[0], poll_id, park)
    vote_as(app, people.member_ids[1], poll_id, pub)
    owner = logged_in(app, people.owner)
    vote_as(app, db_user_id(app, people.owner), poll_id, park)
    body = html(owner.get(f"/polls/{poll_id}/results"))
    assert "3 people voted" in body
    assert "2 votes (67%)" in body and "1 vote (33%)" in body
    assert '<meter min="0" max="3" value="2" aria-hidden="true">' in body


def db_user_id(app, email):
    with app.app_context():
        return db.session.scalar(db.select(User.id).where(User.email == email))


# -- Results as the poll says


def test_results_after_voting_show_to_a_member_once_they_voted(app, people):
    poll_id, (park, _) = a_poll(app, people, results_shown=ResultsShown.AFTER_VOTING)
    vote_as(app, people.member_ids[1], poll_id, park)
    member = logged_in(app, people.members[0])
    before = html(member.get(f"/polls/{poll_id}/results"))
    assert "The results show once you have voted." in before and "1 vote" not in before
    owner = logged_in(app, people.owner)
    assert "1 vote (100%)" in html(owner.get(f"/polls/{poll_id}/results"))

    voted = member.submit(f"/polls/{poll_id}/vote", {"option": park}, htmx=True)
    assert "2 votes (100%)" in html(voted)


def test_results_after_closing_show_to_nobody_but_organisers_until_it_closes(app, people):
    poll_id, (park, _) = a_poll(app, people, results_shown=ResultsShown.AFTER_CLOSING)
    member = logged_in(app, people.members[0])
    assert member.submit(f"/polls/{poll_id}/vote", {"option": park}).status_code == 303
    assert "The results show when the poll closes." in html(member.get(f"/polls/{poll_id}"))
    owner = logged_in(app, people.owner)
    assert "1 vote (100%)" in html(owner.get(f"/polls/{poll_id}"))
    assert owner.submit(f"/polls/{poll_id}/manage/close").status_code == 303
    visitor = app.test_client()
    body = html(visitor.get(f"/polls/{poll_id}"))
    assert "1 vote (100%)" in body and "Closed on" in body


def test_results_at_once_show_to_a_visitor(app, people):
    poll_id, (park, _) = a_poll(app, people)
    vote_as(app, people.member_ids[0], poll_id, park)
    body = html(app.test_client().get(f"/polls/{poll_id}"))
    assert "1 vote (100%)" in body and "Log in</a> to vote." in body


# -- The new-poll form: rows in place


def test_add_an_option_row_without_javascript(app, people):
    owner = logged_in(app, people.owner)
    data = poll_data("Park", "Pub", edit_options="add")
    response = owner.submit(f"/groups/{people.slug}/polls/new", data)
    assert response.status_code == 200 and is_whole_page(response)
    body = html(response)
    assert 'id="options-2"' in body and 'value="Pub"' in body
    assert "field-error" not in body  # rows change without checking the rest


def test_remove_an_option_row_with_htmx(app, people):
    owner = logged_in(app, people.owner)
    data = poll_data("Park", "Pub", "Beach", edit_options="remove-0")
    response = owner.submit(f"/groups/{people.slug}/polls/new", data, htmx=True)
    assert response.status_code == 200 and not is_whole_page(response)
    body = html(response)
    assert body.lstrip().startswith('<form id="poll-form"')
    assert 'value="Park"' not in body and 'id="options-0"' in body and 'value="Pub"' in body
    assert 'id="options-2"' not in body


def test_remove_a_slot_row_keeps_the_other_slots_times(app, people):
    owner = logged_in(app, people.owner)
    slots = {}
    for row, days in enumerate((5, 6, 7)):
        slots[f"slots-{row}-starts_at"] = local(days=days, hour=10)
        slots[f"slots-{row}-ends_at"] = local(days=days, hour=11)
    data = poll_data(kind="date", edit_options="remove-0", **slots)
    response = owner.submit(f"/groups/{people.slug}/polls/new", data, htmx=True)
    body = html(response)
    assert input_value(response, "slots-0-starts_at") == local(days=6, hour=10)
    assert input_value(response, "slots-1-ends_at") == local(days=7, hour=11)
    assert local(days=5, hour=10) not in body and "slots-2-" not in body


def test_editing_rows_does_not_count_as_making_polls(app, people):
    owner = logged_in(app, people.owner)
    url = f"/groups/{people.slug}/polls/new"
    for _ in range(12):  # more than RATE_LIMIT_CONTENT's hourly 10
        response = owner.submit(url, poll_data("Park", "Pub", edit_options="add"))
        assert response.status_code == 200
    assert owner.submit(url, poll_data()).status_code == 303


def test_a_refused_poll_comes_back_as_the_form_fragment_with_htmx(app, people):
    owner = logged_in(app, people.owner)
    response = owner.submit(f"/groups/{people.slug}/polls/new", poll_data("Park"), htmx=True)
    assert response.status_code == 422
    assert html(response).lstrip().startswith('<form id="poll-form"')
    assert "Give at least 2 options to choose from." in html(response)


def test_a_date_poll_form_has_slots(app, people):
    owner = logged_in(app, people.owner)
    body = html(owner.get(f"/groups/{people.slug}/polls/new?kind=date"))
    assert 'id="slots-0-starts_at"' in body and 'name="kind" type="hidden" value="date"' in body


# -- Organisers: options in place, who voted what


def test_adding_an_option_with_htmx_swaps_the_editor(app, people):
    poll_id, _ = a_poll(app, people)
    owner = logged_in(app, people.owner)
    response = owner.submit(
        f"/polls/{poll_id}/manage/options", {"new_option-label": "Lake"}, htmx=True
    )
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith(f'<section id="poll-options-{poll_id}"') and "Lake" in body
    # The ballot and the results of the page follow, out of band.
    for part in ("ballot", "results"):
        assert f'<section id="poll-{part}-{poll_id}"' in body
    assert body.count('hx-swap-oob="true"') == 3  # the flashes too
    assert body.count(" Lake</label>") == 1


def test_who_voted_what_names_the_voters(app, people):
    poll_id, (_, pub) = a_poll(app, people)
    vote_as(app, people.member_ids[0], poll_id, pub)
    owner = logged_in(app, people.owner)
    body = html(owner.get(f"/polls/{poll_id}/manage/votes"))
    assert "1 person voted" in body
    with app.app_context():
        name = db.session.get(User, people.member_ids[0]).name
    row = body[body.index(name) :].split("</tr>")[0]
    assert row.count("Chosen") == 1 and "Not chosen" in row


# -- Where open polls are listed


def test_the_group_page_lists_open_polls_and_not_closed_ones(app, people):
    open_id, _ = a_poll(app, people, question="Picnic where?")
    closed_id, _ = a_poll(app, people, question="Old question?")
    owner = logged_in(app, people.owner)
    owner.submit(f"/polls/{closed_id}/manage/close")
    body = html(app.test_client().get(f"/groups/{people.slug}"))
    assert f'href="/polls/{open_id}">Picnic where?' in body
    assert "Old question?" not in body
    assert "New poll" in html(owner.get(f"/groups/{people.slug}"))


def test_the_event_page_lists_its_polls(app, people):
    with app.app_context():
        group = db.session.get(Group, people.group_id)
        event = make_event(group, title="Picnic")
        poll = make_poll(group, event=event, question="Bring what?")
        event_id, poll_id = event.id, poll.id
    body = html(app.test_client().get(f"/events/{event_id}-picnic"))
    assert f'href="/polls/{poll_id}">Bring what?' in body
    assert "Bring what?" not in html(app.test_client().get(f"/groups/{people.slug}"))


def test_the_home_page_shows_polls_waiting_for_my_vote(app, people):
    poll_id, (park, _) = a_poll(app, people, question="Picnic where?")
    member = logged_in(app, people.members[0])
    assert f'href="/polls/{poll_id}">Picnic where?' in html(member.get("/"))
    member.submit(f"/polls/{poll_id}/vote", {"option": park})
    body = html(member.get("/"))
    assert "Picnic where?" not in body and "Nothing to vote on" in body
    outsider = logged_in(app, people.outsider)
    assert "Picnic where?" not in html(outsider.get("/"))


def test_a_deleted_groups_polls_wait_for_nobody(app, people):
    poll_id, _ = a_poll(app, people, question="Picnic where?")
    member = logged_in(app, people.members[0])
    assert f'href="/polls/{poll_id}">Picnic where?' in html(member.get("/"))
    with app.app_context():
        db.session.get(Group, people.group_id).deleted_at = utcnow()
        db.session.commit()
    assert "Picnic where?" not in html(member.get("/"))
    assert member.get(f"/polls/{poll_id}").status_code == 404
