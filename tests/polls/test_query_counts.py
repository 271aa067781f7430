"""SQL statements per request on the poll pages stay few, and the same with 2 options and
20, with 2 votes and many, for a plain poll and a date poll: counted by the benchmark's
own counter. The pages that list polls (group, event, home) stay the same as polls grow."""

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll, slots_from_now
from tests.support.query_counting import assert_few_and_flat, statements_and_a_members_view
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollChoice, PollOption, Vote, VoteAnswer

BUDGET = 5
# (name, who asks, path, htmx)
PAGES = [
    ("poll page", "visitor", "/polls/{plain}", False),
    ("poll page", "member", "/polls/{plain}", False),
    ("poll page", "organiser", "/polls/{plain}", False),
    ("date poll page", "member", "/polls/{date}", False),
    ("results fragment", "visitor", "/polls/{plain}/results", True),
    ("results fragment", "member", "/polls/{plain}/results", True),
    ("date results fragment", "member", "/polls/{date}/results", True),
    ("results, live, behind", "member", "/polls/{plain}/results/live?v=1", True),
    ("ballot fragment", "member", "/polls/{plain}/vote", True),
    ("who voted what", "organiser", "/polls/{plain}/manage/votes", False),
    ("who voted what, date poll", "organiser", "/polls/{date}/manage/votes", False),
    ("group page", "member", "/groups/walkers", False),
    ("event page", "member", "/events/{event}-picnic", False),
    ("home", "member", "/", False),
]


def grow(app, ids, options, voters, polls):
    """More options in both polls, more members voting in them, more polls everywhere."""
    with app.app_context():
        walkers = db.session.get(Group, ids["walkers"])
        plain, date = (db.session.get(Poll, ids[name]) for name in ("plain", "date"))
        for poll in (plain, date):
            start = len(poll_options(poll))
            slots = slots_from_now(start + options)[start:] if poll.is_date_poll else None
            for number in range(options):
                slot = slots[number] if slots else (None, None)
                db.session.add(
                    PollOption(
                        poll_id=poll.id,
                        position=start + number,
                        label=f"Option {start + number}",
                        starts_at=slot[0],
                        ends_at=slot[1],
                    )
                )
        db.session.commit()
        for _ in range(voters):
            person = make_user()
            add_member(walkers, person)
            for poll in (plain, date):
                for option in poll_options(poll):
                    answer = VoteAnswer.YES if option.position % 2 == 0 else VoteAnswer.NO
                    db.session.add(
                        Vote(
                            poll_id=poll.id,
                            option_id=option.id,
                            user_id=person.id,
                            choice=poll.choice,
                            answer=answer,
                        )
                    )
        db.session.commit()
        event = db.session.get(Event, ids["event"])
        for number in range(polls):
            make_poll(walkers, question=f"More {number}?")
            make_poll(walkers, question=f"On the event {number}?", event=event)


def poll_options(poll):
    return db.session.scalars(
        db.select(PollOption).where(PollOption.poll_id == poll.id).order_by(PollOption.position)
    ).all()


@pytest.fixture
def world(app):
    with app.app_context():
        owner = make_user()
        member = make_user(email="member@example.org")
        organiser = make_user(email="organiser@example.org")
        walkers = make_group(owner, name="Walkers", slug="walkers")
        add_member(walkers, member)
        add_member(walkers, organiser, role="organiser")
        event = make_event(walkers, title="Picnic")
        plain = make_poll(walkers, choice=PollChoice.MULTIPLE)
        date = make_poll(walkers, slots=slots_from_now(2), event=event)
        return {"walkers": walkers.id, "event": event.id, "plain": plain.id, "date": date.id}


@pytest.mark.timeout(120)
def test_statements_per_poll_page_stay_few_and_do_not_grow(app, world, monkeypatch):
    small = {"options": 1, "voters": 2, "polls": 1}
    big = {"options": 18, "voters": 40, "polls": 12}
    assert_few_and_flat(app, monkeypatch, grow, world, small, big, PAGES, BUDGET)


def test_a_members_results_read_the_poll_its_options_and_their_votes_at_once(
    app, world, monkeypatch
):
    """Two statements: the session's user, then the poll with its group, event, the
    member's membership, the options and the member's own votes (they are shown)."""
    with app.app_context():
        member = db.session.scalar(db.select(User).where(User.email == "member@example.org"))
        poll = db.session.get(Poll, world["plain"])
        first_id = poll_options(poll)[0].id
        db.session.add(
            Vote(
                poll_id=poll.id,
                option_id=first_id,
                user_id=member.id,
                choice=poll.choice,
                answer=VoteAnswer.YES,
            )
        )
        db.session.commit()
    fragments = [
        ("results fragment", "member", "/polls/{plain}/results", True),
        ("results, live, behind", "member", "/polls/{plain}/results/live?v=1", True),
        ("ballot fragment", "member", "/polls/{plain}/vote", True),
    ]
    counts, ballot = statements_and_a_members_view(
        app, monkeypatch, fragments, world, "/polls/{plain}/vote"
    )
    assert counts == {f"{name} (member)": 2 for name, *_ in fragments}
    # The vote read along is the one shown: the ticked box is the member's.
    assert f'value="{first_id}" checked' in ballot
