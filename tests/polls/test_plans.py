"""The home page's polls waiting for a member's vote are read with one plan, kept for
every member (webapp.polls.queries): through the member's memberships, only their
groups' polls, however many the other groups hold."""

import pytest

from tests.accounts.factories import make_user
from tests.groups.factories import add_member
from tests.support.query_plans import explain_with_one_plan
from webapp.database.setup import ONE_PLAN
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll
from webapp.polls.queries import _WAITING
from webapp.seed import settle

pytestmark = pytest.mark.postgres

# Groups the member is not in, with polls open in each.
OTHER_GROUPS, POLLS_EACH = 100, 2


def _polls_passed(node):
    """(how each plan node under node reached polls, the rows it passed: returned or
    turned away by its filter, in all its loops)."""
    if node.get("Relation Name") == "polls":
        passed = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        yield node["Node Type"], passed * node["Actual Loops"]
    for child in node.get("Plans", []):
        yield from _polls_passed(child)


def _groups(count, first):
    groups = [Group(name=f"Group {n}", slug=f"group-{n}") for n in range(first, first + count)]
    db.session.add_all(groups)
    db.session.flush()
    return groups


def _polls(groups):
    polls = [Poll(group_id=group.id, question="Where?") for group in groups]
    db.session.add_all(polls)
    db.session.flush()
    return [poll.id for poll in polls]


def test_the_polls_waiting_for_a_members_vote_have_one_plan_that_reads_only_theirs(app):
    with app.app_context():
        member = make_user()
        # The member's two groups and their polls come between the others', by id.
        others = _groups(OTHER_GROUPS // 2, 0)
        theirs = _groups(2, OTHER_GROUPS)
        others += _groups(OTHER_GROUPS // 2, OTHER_GROUPS + 2)
        # Two polls in each (an average per loop of a plan node is a whole number).
        waiting = _polls(theirs)
        for _ in range(POLLS_EACH):
            _polls(others)
        waiting += _polls(theirs)
        db.session.commit()
        for group in theirs:
            add_member(group, member)
        settle(["groups", "polls", "memberships"])
        values = {"user_id": member.id, "now": utcnow(), "limit": 5}

        assert _WAITING.get_execution_options().get(ONE_PLAN)
        plan = explain_with_one_plan(_WAITING, values)
        shown = [poll.id for poll in db.session.scalars(_WAITING, values)]
        db.session.rollback()

    assert shown == sorted(waiting)
    reached = list(_polls_passed(plan["Plan"]))
    assert reached, plan
    assert sum(passed for _, passed in reached) <= len(waiting), reached
