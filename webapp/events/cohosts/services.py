"""The rules of co-hosts: an organiser names an active member of the group a co-host of
one event, and removes them; someone who leaves the group (or is removed from it) co-hosts
none of its events any more; an account deleted takes its rows along (the database's
ON DELETE CASCADE).

Naming someone locks the group's row and reads their membership again under it, as every
change of who is in a group does (webapp.groups.membership): a member removed at the same
moment is either gone first (refused here) or removed after, their co-hostships with them.
"""

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.audit.models import AuditAction
from webapp.audit.services import log_on_user
from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.cohosts.models import EventCohost
from webapp.events.cohosts.queries import forget_cohosts
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Membership
from webapp.groups.signals import member_left
from webapp.web.translating import gettext as _


def _membership_now(group, user_id):
    """Read under the group's lock: a membership ended a moment ago counts."""
    return db.session.scalar(
        sa.select(Membership)
        .where(Membership.group_id == group.id, Membership.user_id == user_id)
        .execution_options(populate_existing=True)
    )


def add_cohost(actor, event, user_id):
    """Make the group's active member user_id a co-host of event; their user. RuleError on
    the field "member" when they are no active member, or co-host it already (a second
    organiser naming them at the same moment makes no second row)."""
    group = event.group
    lock_row(group)
    membership = _membership_now(group, user_id)
    # A deactivated account (an admin's doing) cannot log in to run anything.
    if membership is None or not membership.is_active or not membership.user.active:
        raise RuleError(_("Choose an active member of the group."), "member")
    person = membership.user
    added = insert_or_ignore(
        EventCohost,
        event_id=event.id,
        user_id=person.id,
        added_by_id=actor.id,
        created_at=utcnow(),
    )
    if not added:
        raise RuleError(_("%(name)s co-hosts this event already.", name=person.name), "member")
    forget_cohosts()
    event.has_cohosts = True
    log_on_user(actor, AuditAction.COHOST_ADDED, person, group.id, detail=event.title)
    db.session.flush()
    return person


def remove_cohost(actor, event, user_id):
    """user_id co-hosts event no more; their user, or None when they did not (removed a
    moment ago by someone else, say)."""
    gone = db.session.scalar(
        sa.delete(EventCohost)
        .where(EventCohost.event_id == event.id, EventCohost.user_id == user_id)
        .returning(EventCohost.user_id)
    )
    if gone is None:
        return None
    forget_cohosts()
    person = db.session.get(User, gone)
    log_on_user(actor, AuditAction.COHOST_REMOVED, person, event.group_id, detail=event.title)
    db.session.flush()
    return person


@member_left.connect
def _drop_cohostships(group, user, **extra):
    """Someone no longer in group co-hosts none of its events (sent under the group's
    lock, in the transaction that ends their membership)."""
    db.session.execute(
        sa.delete(EventCohost).where(
            EventCohost.user_id == user.id,
            EventCohost.event_id.in_(sa.select(Event.id).where(Event.group_id == group.id)),
        ),
        execution_options={"synchronize_session": False},
    )
    forget_cohosts()
