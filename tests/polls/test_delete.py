"""Organisers delete a poll: asked first (a page, or a dialog with JavaScript), then gone
with its options and votes, from its page, its group's and event's lists and the home
page; its result is mailed to nobody, and results still open somewhere say it was
deleted and stop polling. Who may do it is in tests/polls/test_authorization.py."""

import pytest
import sqlalchemy as sa

from tests.events.factories import make_event
from tests.events.mail.test_reminders import scheduled
from tests.events.support import local
from tests.polls.factories import make_poll
from tests.polls.support import group_with_people, logged_in, poll_data, the_poll
from tests.polls.test_live import live_url, poll_of
from tests.polls.test_mail import results_to, start_poll, vote_as
from tests.support.auth import html
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollOption, Vote
from webapp.polls.result_mail import sweep_closed_polls


@pytest.fixture
def people(app):
    with app.app_context():
        return group_with_people(3)


def rows_of(app, poll_id):
    """How many rows of the poll, its options and its votes are stored."""
    with app.app_context():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).where(column == poll_id))
            for column in (Poll.id, PollOption.poll_id, Vote.poll_id)
        )


def test_an_organiser_is_asked_then_the_poll_and_its_votes_are_gone(app, mailbox, people):
    poll_id = start_poll(app, people, closes_at=local(days=3, hour=12))
    vote_as(app, people.members[0], poll_id, 0)
    vote_as(app, people.members[1], poll_id, 1)
    owner = logged_in(app, people.owner)
    assert "Delete the poll" in html(owner.get(f"/polls/{poll_id}"))

    asked = owner.get(f"/polls/{poll_id}/manage/delete")

    assert asked.status_code == 200
    assert "Delete “Where do we meet?”?" in html(asked)
    assert "with the votes of 2 people" in html(asked)
    assert rows_of(app, poll_id) == (1, 2, 2)

    response = owner.submit(f"/polls/{poll_id}/manage/delete")

    assert response.status_code == 303
    assert response.location == f"/groups/{people.slug}"
    assert "The poll “Where do we meet?” is deleted, with its votes." in html(
        owner.get(response.location)
    )
    assert rows_of(app, poll_id) == (0, 0, 0)
    assert owner.get(f"/polls/{poll_id}").status_code == 404
    assert "Where do we meet?" not in html(owner.get(f"/groups/{people.slug}"))
    # Its closing job is dropped, and nothing mails its result later.
    assert scheduled(app) == {}
    with app.app_context():
        assert sweep_closed_polls() == 0
    assert results_to(mailbox, people.members[0]) == []


def test_a_member_does_not_see_a_deleted_poll_among_those_waiting_for_their_vote(app, people):
    poll_id = start_poll(app, people)
    member = logged_in(app, people.members[2])
    assert "Where do we meet?" in html(member.get("/"))

    assert logged_in(app, people.owner).submit(f"/polls/{poll_id}/manage/delete").status_code == 303

    assert "Where do we meet?" not in html(member.get("/"))
    assert member.get(f"/polls/{poll_id}/vote").status_code == 404
    response = member.submit(f"/polls/{poll_id}/vote", {"option": "1"})
    assert response.status_code == 404


def test_an_events_poll_goes_from_the_events_page(app, people):
    with app.app_context():
        event = make_event(db.session.get(Group, people.group_id), title="Lantern walk")
        event_path = f"/events/{event.id}-lantern-walk"
    owner = logged_in(app, people.owner)
    data = poll_data(question="What do we bring?")
    assert owner.submit(f"/events/{event.id}/polls/new", data).status_code == 303
    with app.app_context():
        poll_id = the_poll("What do we bring?").id
    assert "What do we bring?" in html(owner.get(event_path))

    response = owner.submit(f"/polls/{poll_id}/manage/delete")

    assert response.status_code == 303
    assert response.location == event_path
    page = html(owner.get(event_path))
    assert "The poll “What do we bring?” is deleted, with its votes." in page
    assert f"/polls/{poll_id}" not in page


def test_with_htmx_the_deletion_goes_to_the_group_page(app, people):
    poll_id = start_poll(app, people)
    owner = logged_in(app, people.owner)

    response = owner.submit(f"/polls/{poll_id}/manage/delete", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/groups/{people.slug}"
    assert rows_of(app, poll_id) == (0, 0, 0)


def test_the_dialog_is_a_fragment_for_htmx(app, people):
    poll_id = start_poll(app, people)
    owner = logged_in(app, people.owner)

    response = owner.get(f"/polls/{poll_id}/manage/delete", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert html(response).lstrip().startswith('<article id="delete-poll-confirm"')
    assert "<h1" not in html(response)


def test_a_forged_deletion_keeps_the_poll(app, people):
    poll_id = start_poll(app, people)
    owner = logged_in(app, people.owner)

    response = owner.post(f"/polls/{poll_id}/manage/delete", data={"csrf_token": "forged"})

    assert response.status_code == 400
    assert rows_of(app, poll_id) == (1, 2, 0)


def test_results_open_elsewhere_say_the_poll_was_deleted_and_stop(app, people):
    with app.app_context():
        poll_id = make_poll(db.session.get(Group, people.group_id)).id
    watcher = logged_in(app, people.members[0])
    url = live_url(watcher.get(f"/polls/{poll_id}"), poll_id)
    assert poll_of(watcher, url).status_code == 204

    assert logged_in(app, people.owner).submit(f"/polls/{poll_id}/manage/delete").status_code == 303

    response = poll_of(watcher, url)
    assert response.status_code == 286
    assert html(response).lstrip().startswith(f'<section id="poll-results-{poll_id}"')
    assert "This poll was deleted." in html(response)
    assert "hx-get" not in html(response)


def test_a_new_poll_does_not_inherit_the_ended_results_of_a_deleted_one(app, people):
    # On SQLite the new poll takes the deleted one's id (the table's highest, handed out
    # again); on PostgreSQL it has a new one, and this holds all the more.
    deleted_id = start_poll(app, people)
    owner = logged_in(app, people.owner)
    assert owner.submit(f"/polls/{deleted_id}/manage/delete").status_code == 303
    poll_id = start_poll(app, people)
    watcher = logged_in(app, people.members[0])

    url = live_url(watcher.get(f"/polls/{poll_id}"), poll_id)

    assert poll_of(watcher, url).status_code == 204
