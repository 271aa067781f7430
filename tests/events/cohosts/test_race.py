"""Co-hosts under concurrency, on PostgreSQL: two organisers naming the same member at the
same moment make one row (the other is told, beside the field), and neither gets an
error; a member removed from the group, or leaving it, while an organiser names them
co-host is left co-hosting nothing: whichever comes first, no co-host is not a member."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.races import logged_in_clients, post_at_once, send_at_once
from webapp.events.cohosts.models import EventCohost
from webapp.extensions import db
from webapp.groups.models import Membership, MembershipStatus

# SQLite runs one write at a time, so the race cannot happen there.
pytestmark = pytest.mark.postgres

ROUNDS = 5


def walkers(rounds=ROUNDS):
    """Olu owns the Walkers, Ines organises them; their Night walk; a member a round."""
    owner = make_user(email="olu@example.org")
    colleague = make_user(email="ines@example.org")
    group = make_group(owner, name="Walkers")
    add_member(group, colleague, role="organiser")
    event = make_event(group, title="Night walk")
    people = []
    for number in range(rounds):
        person = make_user(email=f"walker{number}@example.org")
        people.append((person.id, add_member(group, person).id))
    return group.slug, event.id, people


def cohost_rows():
    return db.session.execute(
        sa.select(EventCohost.event_id, EventCohost.user_id).order_by(EventCohost.user_id)
    ).all()


def cohosts_who_are_not_members():
    """Co-host rows whose person is no active member of the event's group."""
    active = sa.exists().where(
        Membership.user_id == EventCohost.user_id,
        Membership.status == MembershipStatus.ACTIVE,
    )
    return db.session.scalars(sa.select(EventCohost.user_id).where(~active)).all()


def test_two_organisers_naming_one_member_at_once_make_one_row(app):
    with app.app_context():
        _slug, event_id, people = walkers()
    clients = logged_in_clients(app, ("olu@example.org", "ines@example.org"))

    for user_id, _membership in people:
        statuses = post_at_once(clients, f"/events/{event_id}/cohosts", {"member": str(user_id)})
        assert sorted(statuses) == [303, 422]
    with app.app_context():
        assert cohost_rows() == [(event_id, user_id) for user_id, _ in people]


def test_a_member_removed_while_named_cohost_is_left_cohosting_nothing(app):
    with app.app_context():
        slug, event_id, people = walkers()
    namer, remover = logged_in_clients(app, ("ines@example.org", "olu@example.org"))

    for user_id, membership in people:
        statuses = send_at_once(
            [
                (namer, f"/events/{event_id}/cohosts", {"member": str(user_id)}),
                (remover, f"/groups/{slug}/manage/members/{membership}/remove", {}),
            ]
        )
        # The removal goes through; the naming too when it came first (the removal then
        # takes the co-hostship along), or it is refused beside the field.
        assert statuses[1] == 303 and statuses[0] in (303, 422), statuses
    with app.app_context():
        assert cohost_rows() == []
        assert cohosts_who_are_not_members() == []


def test_a_member_leaving_while_named_cohost_is_left_cohosting_nothing(app):
    with app.app_context():
        slug, event_id, people = walkers()
    (namer,) = logged_in_clients(app, ("olu@example.org",))
    leavers = logged_in_clients(app, [f"walker{n}@example.org" for n in range(len(people))])

    for (user_id, _membership), leaver in zip(people, leavers, strict=True):
        statuses = send_at_once(
            [
                (namer, f"/events/{event_id}/cohosts", {"member": str(user_id)}),
                (leaver, f"/groups/{slug}/leave", {}),
            ]
        )
        assert statuses[1] == 303 and statuses[0] in (303, 422), statuses
    with app.app_context():
        assert cohost_rows() == []
        assert cohosts_who_are_not_members() == []
