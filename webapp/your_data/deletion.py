"""Deleting one's account: what goes, what stays without a name, and what refuses.

The row of the user is deleted (not kept anonymised), so the address can sign up again
at once. Before that, through the features' own rules: each answer to an event goes
under the event's lock (a place it frees goes to the waitlist, who are emailed), each
vote goes under its poll's lock (the counters stay right), tasks given to them become
open again, and a group they alone own is soft-deleted when nobody else is in it; while
others are, the deletion is refused until they hand ownership over. Feedback and
uploaded files stay, their author set NULL by the database (shown as "a former member");
memberships, sessions, links and settings go with the row (ON DELETE CASCADE). A last
email goes to the address they had.
"""

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.accounts.passwords import check_password
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.discussions.services import author_changed
from webapp.events.models import Event
from webapp.events.rsvp.models import Rsvp
from webapp.events.rsvp.services import drop_answer
from webapp.extensions import db
from webapp.groups.membership import owner_count
from webapp.groups.models import Group, Membership, MembershipStatus, Role
from webapp.groups.services import delete_group
from webapp.outbox import mail
from webapp.polls.models import Poll, Vote
from webapp.polls.voting import remove_votes
from webapp.tasks.models import Task
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l
from webapp.web.translating import ngettext
from webapp.your_data.export import forget_exports


def owned_groups(user):
    """The live groups user owns (an active owner), in id order (the order of locks)."""
    return db.session.scalars(
        sa.select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(
            Membership.user_id == user.id,
            Membership.role == Role.OWNER,
            Membership.status == MembershipStatus.ACTIVE,
            Group.deleted_at.is_(None),
        )
        .order_by(Group.id)
    ).all()


def groups_to_hand_over(user):
    """Of user's groups, those they are the last owner of with other members in them, and
    those they alone are in (deleted with the account); both under the groups' locks."""
    blocking, alone = [], []
    for group in owned_groups(user):
        lock_row(group, read_again=True)
        if owner_count(group) > 1:
            continue
        (blocking if group.member_count > 1 else alone).append(group)
    return blocking, alone


def refusal_for(blocking):
    names = ", ".join(group.name for group in blocking)
    return ngettext(
        "You are the last owner of %(groups)s. Make another member an owner on the group's "
        "members page (or remove the other members), then delete your account.",
        "You are the last owner of %(groups)s. Make another member an owner on the group's "
        "members page (or remove the other members), then delete your account.",
        len(blocking),
        groups=names,
    )


def _answered_events(user):
    return db.session.scalars(
        sa.select(Event)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(Rsvp.user_id == user.id)
        .order_by(Event.id)
    ).all()


def _voted_polls(user):
    voted = sa.select(Vote.poll_id).where(Vote.user_id == user.id)
    return db.session.scalars(sa.select(Poll).where(Poll.id.in_(voted)).order_by(Poll.id)).all()


def delete_account(user, password):
    """Delete user's account after checking their password; RuleError says why not."""
    if not check_password(user.password_hash, password or ""):
        raise RuleError(_("The password is incorrect."), "password")
    blocking, alone = groups_to_hand_over(user)
    if blocking:
        raise RuleError(refusal_for(blocking))
    for group in alone:
        delete_group(user, group, group.name)
    for event in _answered_events(user):
        drop_answer(user, event)
    for poll in _voted_polls(user):
        remove_votes(user, poll)
    # Open again, for someone else to take (a done task needs someone who did it).
    db.session.execute(
        sa.update(Task).where(Task.assignee_id == user.id).values(assignee_id=None, done_at=None)
    )
    forget_exports(user)
    # Their comments stay, said to be a former member's from now on.
    author_changed(user)
    mail.send_template(
        user.email,
        _l("Your Hearth account is deleted"),
        "account_deleted",
        language=language_of(user),
        user=user,
        signup_url=public_url.absolute_url("auth.signup"),
    )
    lock_row(user)
    db.session.execute(sa.delete(User).where(User.id == user.id))
    db.session.flush()
