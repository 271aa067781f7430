"""The RSVP rules as a state machine: random sequences of answers, guest changes, capacity
changes and removals, run against the database and against a model of the rules written
out plainly here. After every step the two agree, and: places taken never exceed the
capacity, the waitlist is in ticket order (the order people joined it), the counters
equal the rows, nobody on the waitlist would fit, and nobody is lost.

The runs are shared among test modules by the capacity an event starts with (small,
roomy, unlimited), so that they go to several test processes at once; the capacity still
changes at random along a run."""

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.rsvp.support import answers, assert_counters_match_rows, fresh_event, waitlist
from tests.groups.factories import add_member, make_group
from webapp.accounts.models import User
from webapp.database.unit_of_work import RuleError
from webapp.events import signals
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.rsvp.services import answer_event, remove_attendee
from webapp.extensions import db
from webapp.groups.models import Group

MEMBERS = 4
GUESTS_ALLOWED = 2
# Small: full events, waitlists and parties that do not fit are where the rules bite.
capacities = st.sampled_from([None, 0, 1, 2, 3, 3, 4, 4, 5])
# Mostly going, often with guests: parties compete for the places.
choices = st.sampled_from([Answer.GOING] * 3 + [Answer.MAYBE, Answer.NOT_GOING])
guest_counts = st.sampled_from([0, 0, 1, 2, 2])


class Model:
    """The rules, plainly: answers {member: (answer, guests)} and the line of waiting members."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.answers = {}
        self.line = []

    def taken(self):
        return sum(1 + g for a, g in self.answers.values() if a == Answer.GOING)

    def fits(self, places, set_aside=0):
        return self.capacity is None or self.taken() - set_aside + places <= self.capacity

    def answer(self, member, answer, guests):
        """Apply an answer; False when the rules refuse it (and nothing changed)."""
        guests = guests if answer == Answer.GOING else 0
        current, old_guests = self.answers.get(member, (None, 0))
        if answer == Answer.GOING:
            set_aside = 1 + old_guests if current == Answer.GOING else 0
            fits = self.fits(1 + guests, set_aside)
            if current == Answer.GOING and not fits:
                return False
            new = Answer.GOING if fits else Answer.WAITLISTED
        else:
            new = answer
        if (new, guests) == (current, old_guests):
            return True
        if current == Answer.WAITLISTED and new != Answer.WAITLISTED:
            self.line.remove(member)
        if new == Answer.WAITLISTED and current != Answer.WAITLISTED:
            self.line.append(member)
        self.answers[member] = (new, guests)
        if current == Answer.GOING and (new != Answer.GOING or guests < old_guests):
            self.promote()
        return True

    def remove(self, member):
        current, _ = self.answers.get(member, (None, 0))
        if current in (None, Answer.NOT_GOING):
            return False
        if current == Answer.WAITLISTED:
            self.line.remove(member)
        self.answers[member] = (Answer.NOT_GOING, 0)
        if current == Answer.GOING:
            self.promote()
        return True

    def promote(self):
        for member in list(self.line):
            guests = self.answers[member][1]
            if self.fits(1 + guests):
                self.line.remove(member)
                self.answers[member] = (Answer.GOING, guests)


class RsvpMachine(RuleBasedStateMachine):
    """The steps and invariants; a subclass (starting_at) says what capacity an event
    starts with."""

    group_id = None
    member_ids = ()
    owner_id = None

    def new_event(self, capacity):
        db.session.rollback()
        group = db.session.get(Group, self.group_id)
        self.event_id = make_event(group, capacity=capacity, guests_allowed=GUESTS_ALLOWED).id
        self.model = Model(capacity)
        self.answered = set()

    @rule(
        member=st.integers(0, MEMBERS - 1),
        answer=choices,
        guests=guest_counts,
    )
    def answer(self, member, answer, guests):
        user = db.session.get(User, self.member_ids[member])
        allowed = self.model.answer(member, answer, guests)
        try:
            answer_event(user, fresh_event(self.event_id), answer, guests)
        except RuleError:
            db.session.rollback()
            assert not allowed
        else:
            db.session.commit()
            assert allowed
        self.answered.add(member)

    @rule(member=st.integers(0, MEMBERS - 1))
    def organiser_removes(self, member):
        rsvp_id = db.session.scalar(
            sa.select(Rsvp.id).where(
                Rsvp.event_id == self.event_id, Rsvp.user_id == self.member_ids[member]
            )
        )
        allowed = self.model.remove(member)
        try:
            remove_attendee(
                db.session.get(User, self.owner_id), fresh_event(self.event_id), rsvp_id
            )
        except RuleError:
            db.session.rollback()
            assert not allowed
        else:
            db.session.commit()
            assert allowed

    @rule(capacity=capacities)
    def change_capacity(self, capacity):
        # The events work refuses a capacity below the places taken; so does this test.
        if capacity is not None and capacity < self.model.taken():
            return
        event = fresh_event(self.event_id)
        event.capacity = capacity
        db.session.flush()
        signals.event_changed.send(event, changes={"capacity"})
        db.session.commit()
        self.model.capacity = capacity
        self.model.promote()

    def teardown(self):
        # A failing step may leave its changes pending: the next example must not see them.
        db.session.rollback()

    @invariant()
    def database_follows_the_rules(self):
        stored = answers(self.event_id)
        by_member = {
            member: (stored[user_id][0], stored[user_id][1])
            for member, user_id in enumerate(self.member_ids)
            if user_id in stored
        }
        assert by_member == self.model.answers
        line = waitlist(self.event_id)
        assert line == [self.member_ids[member] for member in self.model.line]
        # Nobody is lost: everyone who ever answered has exactly one answer.
        assert set(by_member) == self.answered

    @invariant()
    def counters_capacity_and_line(self):
        event = assert_counters_match_rows(self.event_id)
        stored = answers(self.event_id)
        if event.capacity is not None:
            left = event.capacity - event.places_taken
            waiting_parties = [1 + stored[user_id][1] for user_id in waitlist(self.event_id)]
            assert all(places > left for places in waiting_parties), "someone waits who fits"


def starting_at(start_capacities):
    """The machine whose events start with one of start_capacities."""

    class Machine(RsvpMachine):
        @initialize(capacity=st.sampled_from(start_capacities))
        def start(self, capacity):
            self.new_event(capacity)

    return Machine


def run_rsvp_machine(start_capacities, examples):
    """examples random runs of 25 steps, each from an event with one of start_capacities."""
    owner = make_user()
    group = make_group(owner)
    members = [add_member(group, make_user()).user_id for _ in range(MEMBERS)]
    RsvpMachine.group_id, RsvpMachine.member_ids, RsvpMachine.owner_id = group.id, members, owner.id
    try:
        run_state_machine_as_test(
            starting_at(start_capacities),
            settings=settings(
                max_examples=examples,
                stateful_step_count=25,
                deadline=None,
                database=None,
                # No shrinking: against a database it takes minutes on a busy machine;
                # a failure is reported with its whole (short) sequence of steps.
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        db.session.rollback()
