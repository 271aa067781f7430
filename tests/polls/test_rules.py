"""The rules of creating and changing a poll, through HTTP with bad input: what a new poll
needs (two options, a closing time ahead, a maximum within the options, slots that end
after they start), its options added and removed afterwards, and who sees it when its
event goes. Every refusal is a 422 with a message (beside its field where it has one) and
leaves nothing behind. Voting is tests/polls/test_voting.py."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.events.factories import make_event
from tests.events.support import local
from tests.polls.factories import make_poll, option_ids, slots_from_now, vote
from tests.polls.support import (
    counts,
    group_with_people,
    logged_in,
    poll_data,
    the_poll,
)
from tests.support.auth import field_error, form_errors, html
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollChoice, PollKind, PollOption


@pytest.fixture
def people(app):
    with app.app_context():
        return group_with_people(2)


def new_poll(app, people, **overrides):
    """The owner submits the new-poll form; the response."""
    labels = overrides.pop("labels", ())
    owner = logged_in(app, people.owner)
    return owner.submit(f"/groups/{people.slug}/polls/new", poll_data(*labels, **overrides))


def poll_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Poll))


# -- Creating a poll


def day_text(days):
    """'Sat 5 Dec 2026': the day `days` from today, as the slot labels write it."""
    moment = datetime.now() + timedelta(days=days)
    return moment.strftime("%a ") + f"{moment.day} " + moment.strftime("%b %Y")


def test_a_valid_poll_opens_with_its_options_in_order(app, people):
    response = new_poll(
        app, people, labels=("Park", "", "  The   old pub "), description="Bring <script>x</script>"
    )
    assert response.status_code == 303
    with app.app_context():
        poll = the_poll()
        assert response.location == f"/polls/{poll.id}"
        assert list(counts(poll.id)[0]) == ["Park", "The old pub"]
        assert (poll.kind, poll.choice, poll.max_choices) == ("plain", "single", None)
        assert "<script>" not in poll.description_html


@pytest.mark.parametrize("labels", [("Park",), ("Park", ""), ("", "  ")])
def test_fewer_than_two_options_are_refused(app, people, labels):
    response = new_poll(app, people, labels=labels)
    assert response.status_code == 422
    assert "Give at least 2 options to choose from." in html(response)
    assert poll_count(app) == 0


def test_the_same_option_twice_is_refused(app, people):
    response = new_poll(app, people, labels=("Park", "park"))
    assert response.status_code == 422
    assert "“park” is there twice" in html(response)


def test_a_closing_time_in_the_past_is_refused_beside_its_field(app, people):
    response = new_poll(app, people, closes_at=local(days=-1))
    assert response.status_code == 422
    assert field_error(response, "closes_at") == (
        "The closing time has passed already: choose a later one."
    )
    assert poll_count(app) == 0


def test_a_closing_time_ahead_is_kept_in_utc(app, people):
    assert new_poll(app, people, closes_at=local(days=3, hour=12)).status_code == 303
    with app.app_context():
        poll = the_poll()
        assert poll.closes_at > utcnow() + timedelta(days=2)
        assert poll.closes_at.astimezone(poll.zone).hour == 12


@pytest.mark.parametrize("most", ["3", "0"])
def test_a_maximum_of_choices_outside_the_options_is_refused(app, people, most):
    response = new_poll(app, people, choice="multiple", max_choices=most)
    assert response.status_code == 422
    assert field_error(response, "max_choices")
    assert poll_count(app) == 0


def test_a_single_choice_poll_keeps_no_maximum(app, people):
    assert new_poll(app, people, max_choices="1").status_code == 303
    with app.app_context():
        assert the_poll().max_choices is None


def test_a_date_poll_takes_slots_in_time_order(app, people):
    data = {
        "kind": "date",
        "slots-0-starts_at": local(days=9, hour=18),
        "slots-0-ends_at": local(days=9, hour=20),
        "slots-1-starts_at": local(days=8, hour=18),
        "slots-1-ends_at": local(days=8, hour=20),
    }
    assert new_poll(app, people, **data).status_code == 303
    with app.app_context():
        poll = the_poll()
        assert (poll.kind, poll.choice) == (PollKind.DATE, PollChoice.MULTIPLE)
        first, second = counts(poll.id)[0]
        # The labels read on the poll's clocks, the earlier slot (in 8 days) first.
        assert first.startswith(day_text(8)) and second.startswith(day_text(9))
        assert "18:00" in first and first.endswith(("CET", "CEST"))


def test_a_slot_that_ends_before_it_starts_is_refused(app, people):
    data = {
        "kind": "date",
        "slots-0-starts_at": local(days=9, hour=18),
        "slots-0-ends_at": local(days=9, hour=17),
        "slots-1-starts_at": local(days=8, hour=18),
        "slots-1-ends_at": local(days=8, hour=20),
    }
    response = new_poll(app, people, **data)
    assert response.status_code == 422
    assert "Each slot must end after it starts." in html(response)


def test_a_poll_on_an_event_belongs_to_the_events_group(app, people):
    with app.app_context():
        event = make_event(db.session.get(Group, people.group_id), title="Picnic")
    owner = logged_in(app, people.owner)
    response = owner.submit(f"/events/{event.id}/polls/new", poll_data())
    assert response.status_code == 303
    with app.app_context():
        poll = the_poll()
        assert (poll.group_id, poll.event_id) == (people.group_id, event.id)


def test_a_cancelled_event_takes_no_new_poll(app, people):
    with app.app_context():
        event = make_event(db.session.get(Group, people.group_id), status=EventStatus.CANCELLED)
    owner = logged_in(app, people.owner)
    response = owner.submit(f"/events/{event.id}/polls/new", poll_data())
    assert response.status_code == 422
    assert "This event is cancelled: it takes no new polls." in form_errors(response)


def ids_of(app, poll):
    with app.app_context():
        return option_ids(poll)


# -- Options of a poll that exists


def test_an_option_added_goes_last_and_a_duplicate_is_refused(app, people, poll):
    owner = logged_in(app, people.owner)
    url = f"/polls/{poll.id}/manage/options"
    assert owner.submit(url, {"new_option-label": "Lake"}).status_code == 303
    refused = owner.submit(url, {"new_option-label": "lake"})
    assert refused.status_code == 422
    assert field_error(refused, "new_option-label") == "“lake” is in the poll already."
    with app.app_context():
        assert list(counts(poll.id)[0]) == ["Park", "Pub", "Beach", "Lake"]


def test_a_slot_added_takes_its_place_in_time(app, people):
    with app.app_context():
        slots = slots_from_now(3)
        poll = make_poll(db.session.get(Group, people.group_id), slots=[slots[0], slots[2]])
    owner = logged_in(app, people.owner)
    start, end = (moment.astimezone(poll.zone) for moment in slots[1])
    added = {
        "new_option-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "new_option-ends_at": end.strftime("%Y-%m-%dT%H:%M"),
    }
    assert owner.submit(f"/polls/{poll.id}/manage/options", added).status_code == 303
    with app.app_context():
        in_order = db.session.scalars(
            sa.select(PollOption.starts_at)
            .where(PollOption.poll_id == poll.id)
            .order_by(PollOption.position)
        ).all()
        assert in_order == [slot[0] for slot in slots]


def test_a_blank_option_is_refused_beside_its_field(app, people, poll):
    owner = logged_in(app, people.owner)
    refused = owner.submit(f"/polls/{poll.id}/manage/options", {"new_option-label": "   "})
    assert refused.status_code == 422
    assert field_error(refused, "new_option-label") == "Type the option."


def test_an_option_someone_chose_stays_and_a_poll_keeps_two(app, people, poll):
    park, pub, beach = ids_of(app, poll)
    with app.app_context():
        vote(db.session.get(User, people.member_ids[0]), poll, park)
    owner = logged_in(app, people.owner)
    remove = f"/polls/{poll.id}/manage/options/{{}}/remove"
    chosen = owner.submit(remove.format(park), follow_redirects=True)
    assert "1 person chose “Park”: it stays in the poll." in html(chosen)
    assert owner.submit(remove.format(beach)).status_code == 303
    last_two = owner.submit(remove.format(pub), follow_redirects=True)
    assert "A poll keeps at least 2 options." in html(last_two)
    with app.app_context():
        assert list(counts(poll.id)[0]) == ["Park", "Pub"]


def test_an_event_deleted_takes_its_polls_with_it_from_view(app, people):
    with app.app_context():
        group = db.session.get(Group, people.group_id)
        event = make_event(group)
        poll_id = make_poll(group, event=event).id
        db.session.get(Event, event.id).deleted_at = utcnow()
        db.session.commit()
    member = logged_in(app, people.members[0])
    assert member.get(f"/polls/{poll_id}").status_code == 404
