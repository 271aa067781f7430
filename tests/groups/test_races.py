"""Clicks that arrive at the same moment: the loser gets a clear answer, never a 500, and
the history records each thing that happened once."""

import threading
from typing import NamedTuple

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.races import tabs_of
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.groups.models import Membership

# SQLite runs one write at a time, so the race cannot happen there.
pytestmark = pytest.mark.postgres


def post_at_once(requests):
    """POST each (client, url) from its own thread, released together; their statuses."""
    tokens = [client.csrf_token() for client, _ in requests]
    barrier = threading.Barrier(len(requests))
    statuses = [None] * len(requests)

    def send(index):
        client, url = requests[index]
        barrier.wait()
        statuses[index] = client.post(url, headers={"X-CSRFToken": tokens[index]}).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def history(app, group_id):
    with app.app_context():
        return sorted(
            db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.group_id == group_id))
        )


def memberships(app, group_id, user_id):
    with app.app_context():
        return db.session.scalars(
            sa.select(Membership.status).where(
                Membership.group_id == group_id, Membership.user_id == user_id
            )
        ).all()


def test_one_person_joining_twenty_times_at_once_joins_once(app, monkeypatch):
    # The race, not the per-user join limit, is what this test is about.
    monkeypatch.setitem(app.config, "RATE_LIMIT_JOIN", "100 per minute")
    with app.app_context():
        joiner = make_user()
        joiner_id, email = joiner.id, joiner.email
        group = make_group(make_user(), join_policy="open")
    tabs = tabs_of(app, email, 20)

    statuses = post_at_once([(tab, f"/groups/{group.slug}/join") for tab in tabs])

    assert set(statuses) == {303}, statuses
    assert memberships(app, group.id, joiner_id) == ["active"]
    assert history(app, group.id).count("joined") == 1


class Request(NamedTuple):
    group_id: int
    asker_id: int
    asker_email: str
    url: str  # the request's, under manage/requests


@pytest.fixture
def request_to_join(app):
    """Someone asks to join a group by approval; (its owner's client, an organiser's
    client, the Request)."""
    with app.app_context():
        owner, organiser, asker = make_user(), make_user(), make_user()
        group = make_group(owner, join_policy="approval")
        add_member(group, organiser, role="organiser")
        request_id = add_member(group, asker, status="pending").id
        emails = owner.email, organiser.email
        found = Request(
            group.id, asker.id, asker.email, f"/groups/{group.slug}/manage/requests/{request_id}"
        )
    [approver] = tabs_of(app, emails[0], 1)
    [decliner] = tabs_of(app, emails[1], 1)
    return approver, decliner, found


@pytest.mark.parametrize("round_", range(5))
def test_approve_and_decline_at_once_decide_once(app, mailbox, request_to_join, round_):
    approver, decliner, asked = request_to_join

    statuses = post_at_once(
        [(approver, f"{asked.url}/approve"), (decliner, f"{asked.url}/decline")]
    )

    decisions = [a for a in history(app, asked.group_id) if a in ("approved", "declined")]
    assert len(decisions) == 1, decisions
    # Both loaded the request, then one decided under the group's lock and the other was
    # refused (303 with a message); or the decline was committed before the approval even
    # loaded the request, which is gone then (404, as test_decided_request_is_gone shows).
    assert statuses == [303, 303] or (statuses == [404, 303] and decisions == ["declined"])
    expected = ["active"] if decisions == ["approved"] else []
    assert memberships(app, asked.group_id, asked.asker_id) == expected
    assert len(mailbox.messages(to=asked.asker_email)) == 1


def test_decided_request_is_gone(app, mailbox, request_to_join):
    """A declined request is deleted: approving it afterwards finds nothing (404), and
    the asker hears of the decline alone."""
    approver, decliner, asked = request_to_join

    assert decliner.submit(f"{asked.url}/decline").status_code == 303
    assert approver.submit(f"{asked.url}/approve").status_code == 404

    assert history(app, asked.group_id).count("declined") == 1
    assert "approved" not in history(app, asked.group_id)
    assert len(mailbox.messages(to=asked.asker_email)) == 1


@pytest.mark.parametrize("round_", range(5))
def test_approving_while_the_asker_withdraws_leaves_them_out(app, round_):
    with app.app_context():
        owner, asker = make_user(), make_user()
        owner_email, asker_id, asker_email = owner.email, asker.id, asker.email
        group = make_group(owner, join_policy="approval")
        request_id = add_member(group, asker, status="pending").id
    [approver] = tabs_of(app, owner_email, 1)
    [withdrawer] = tabs_of(app, asker_email, 1)

    statuses = post_at_once(
        [
            (approver, f"/groups/{group.slug}/manage/requests/{request_id}/approve"),
            (withdrawer, f"/groups/{group.slug}/leave"),
        ]
    )

    # Withdrawn before the approval loaded the request: 404; while it was deciding: refused
    # with a message (303). Approved first: the withdrawal leaves the group.
    assert statuses in ([303, 303], [404, 303]), statuses
    assert memberships(app, group.id, asker_id) == []
    assert history(app, group.id) in (
        ["withdrew"],
        ["approved", "left"],
    )
