"""Who may do what with a poll: the answers of its group, or of its event when it has one.

Seeing a poll is seeing its group (and its event: a draft's polls are its organisers'
and co-hosts'); voting takes an active member of the group; managing takes an organiser
of the group, or for a poll on an event an organiser or a co-host of the event (while the
event is live). Whether results show is the poll's own setting, with those who manage it
always seeing them.
"""

import sqlalchemy as sa
from flask import abort, url_for
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from webapp.events.access import can_manage_event, can_see_event
from webapp.groups.access import ReadWithMembership, can_manage, can_see, can_take_part
from webapp.groups.models import Group
from webapp.groups.queries import without_group_texts
from webapp.polls.models import Poll, ResultsShown
from webapp.polls.queries import OptionsPrefetch


def can_see_poll(user, poll):
    if poll.event is not None:
        return can_see_event(user, poll.event)
    return can_see(user, poll.group)


def can_manage_poll(user, poll):
    if poll.event is not None:
        return can_manage_event(user, poll.event)
    return can_manage(user, poll.group)


def can_vote(user, poll):
    """May vote at all (the rules then say whether the poll still takes votes)."""
    return can_take_part(user, poll.group)


def can_see_results(user, poll, has_voted):
    """As the poll says: at once, after one's own vote, or after it closes."""
    if poll.results_shown == ResultsShown.AT_ONCE or poll.is_closed():
        return True
    if poll.results_shown == ResultsShown.AFTER_VOTING and has_voted:
        return True
    return can_manage_poll(user, poll)


# Not joined to its event: most polls have none, and the event's columns, null in every
# row, cost more to read than the event costs an event poll (one lookup by key, when
# poll.event is first asked for).
_POLL = (
    sa.select(Poll)
    .join(Group, Group.id == Poll.group_id)
    .options(contains_eager(Poll.group))
    .where(Poll.id == sa.bindparam("poll_id"))
)
_POLL_WITH_GROUP = ReadWithMembership(_POLL, Poll.group_id, lambda poll: poll.group)
# For the views that show the results: the options and the viewer's votes come along.
_POLL_WITH_OPTIONS = ReadWithMembership(
    _POLL.options(without_group_texts(contains_eager(Poll.group))),
    Poll.group_id,
    lambda poll: poll.group,
    also=OptionsPrefetch,
)


def load_poll(poll_id, with_options=False):
    """The poll with its group, and the viewer's membership (one query), or None.
    with_options: its options and the viewer's votes too (queries.options_and_answers
    then asks nothing)."""
    return (_POLL_WITH_OPTIONS if with_options else _POLL_WITH_GROUP)(poll_id=poll_id)


def find_poll(poll_id, with_options=False):
    """The poll for the current user: 404 when it is not theirs to see."""
    poll = load_poll(poll_id, with_options)
    if poll is None or not can_see_poll(current_user, poll):
        abort(404)
    return poll


def get_poll(poll_id, need=can_see_poll):
    """find_poll, then 403 unless need(current_user, poll) holds."""
    poll = find_poll(poll_id)
    if not need(current_user, poll):
        abort(403)
    return poll


def poll_url(poll, **values):
    return url_for("polls.detail", poll_id=poll.id, **values)
