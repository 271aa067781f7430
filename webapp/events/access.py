"""Who may do what with an event: the answers of its group, and the event's own state.

A draft is its organisers' (and co-hosts') alone; a deleted event is gone for everyone; a
cancelled one stays visible. Answering needs an active member and a published event still
open.

Two verbs for running an event:

- can_organise_event: the group's organisers (owners, organisers, site admins). Theirs
  alone: cancelling and deleting the event, naming and removing its co-hosts, publishing
  a series (all its dates at once), changing "this date and every later one" of a series
  and ending a series, announcing a newly published event to the whole group; and, as
  they are the group's, everything of the group itself (new events, group polls, group
  announcements, members, settings).
- can_manage_event: those, and the event's co-hosts: active members of its group an
  organiser named for this one event (webapp.events.cohosts). They edit the event (a date
  of a series alone) and publish it if it is a draft of its own; they build its agenda,
  add and edit its tasks, make and run its polls (a date poll's slot can become its
  date), delete its files, ask its questions and read the answers, work its door (check-in,
  passes, walk-ins), read and export its attendee list and take people off it, write to
  its people and edit or withdraw what waits to go to them, and read its feedback. A
  co-host of one date of a series co-hosts that date only; of other events, of the group
  and of other groups they may do what any member may.
"""

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import contains_eager, defer

from webapp.database.prefetch import forget_when_written, prefetched
from webapp.database.times import utcnow
from webapp.database.unit_of_work import read_locked
from webapp.discussions.models import Discussion, Following
from webapp.events.agenda.models import AgendaSession
from webapp.events.cohosts.queries import WithCohost, cohosts
from webapp.events.mail.sending import ConfirmationMailPrefetch
from webapp.events.models import Event
from webapp.events.rsvp.queries import AnswerPrefetch
from webapp.groups.access import ReadWithMembership, can_manage, can_see, can_take_part
from webapp.groups.models import Group
from webapp.groups.queries import without_group_texts
from webapp.polls.models import Poll


def can_see_event(user, event):
    if not event.is_live or not can_see(user, event.group):
        return False
    return not event.is_draft or can_manage_event(user, event)


def can_organise_event(user, event):
    """The group's organisers: what only they do to an event (the module's docstring)."""
    return event.is_live and can_manage(user, event.group)


def can_manage_event(user, event):
    """Its organisers, and its co-hosts: running the event (the module's docstring)."""
    return can_organise_event(user, event) or (event.is_live and cohosts(user, event))


def takes_guests(event):
    """People without a membership may answer it: its group allows guests and is public
    (its events are there for anyone to see)."""
    return event.group.allows_guests and event.group.is_public


def may_answer(user, event):
    """May answer event, when answers are open: its group's active members; where the
    event takes guests, also anyone else whose address is proven: a guest who followed
    their link (webapp.events.guest_answers), or a verified account."""
    if can_take_part(user, event.group):
        return True
    if not (takes_guests(event) and user.is_authenticated and user.is_active):
        return False
    return user.is_guest or user.is_verified


def can_answer(user, event):
    """May answer (RSVP) now: may_answer, the event published and still open."""
    return may_answer(user, event) and not event.answers_closed()


_EVENT = (
    sa.select(Event)
    .join(Group, Group.id == Event.group_id)
    .options(contains_eager(Event.group))
    .where(Event.id == sa.bindparam("event_id"))
)
# Every read of an event for its viewer says whether they co-host it (WithCohost): the
# checks ask nothing more.
_EVENT_WITH_GROUP = ReadWithMembership(
    _EVENT, Event.group_id, lambda event: event.group, also=WithCohost()
)
# For the views that show the RSVP panel alone: the viewer's answer comes along, and the
# texts of the event and of its group, which the panel never shows, stay behind (a
# description of a few paragraphs outweighs the rest of the row).
_EVENT_FOR_PANEL = _EVENT.options(
    without_group_texts(contains_eager(Event.group)),
    defer(Event.description, raiseload=True),
    defer(Event.description_html, raiseload=True),
)
_EVENT_WITH_ANSWER = ReadWithMembership(
    _EVENT_FOR_PANEL, Event.group_id, lambda event: event.group, also=WithCohost(AnswerPrefetch)
)

# An answer locks the event's row before it decides (webapp.events.rsvp.services): the read that
# finds the event takes the lock, so the answer runs no statement of its own for it.
# The viewer's answer does not come along: waiting for the lock, PostgreSQL reads the
# event's row again once it is free, but what is joined to it as it was when the
# statement began, before the answer that held the lock. Their choice of confirmation
# mail comes along: no answer changes it.
_EVENT_TO_ANSWER = ReadWithMembership(
    _EVENT_FOR_PANEL.with_for_update(of=Event).execution_options(populate_existing=True),
    Event.group_id,
    lambda event: event.group,
    also=WithCohost(ConfirmationMailPrefetch),
)


class _ThreadPrefetch:
    """The event's comments' thread and whether the viewer follows it, read with the
    event by the pages that show them: the thread is not read again
    (webapp.discussions.queries.event_thread)."""

    @staticmethod
    def add(statement):
        following = (
            sa.select(Following.following)
            .where(
                Following.discussion_id == Discussion.id,
                Following.user_id == sa.bindparam("viewer_id"),
            )
            .scalar_subquery()
        )
        return statement.outerjoin(Discussion, Discussion.event_id == Event.id).add_columns(
            Discussion, following
        )

    @staticmethod
    def remember(user, event, thread, following):
        prefetched(EVENT_THREADS)[event.id] = (thread, bool(following))


# An event's thread and whether the viewer follows it, as _ThreadPrefetch read them.
EVENT_THREADS = "event threads"
forget_when_written(EVENT_THREADS, Discussion, Following)


class _PagePrefetch:
    """For the event's own page: the viewer's answer (AnswerPrefetch), whether the event
    has an agenda and open polls, and its thread (_ThreadPrefetch). Most events have no
    agenda and no open polls; the page then asks nothing more about them
    (known_to_have_none). Bind parameter: now, for which polls are open."""

    @staticmethod
    def add(statement):
        has_agenda = sa.exists().where(AgendaSession.event_id == Event.id)
        has_open_polls = sa.exists().where(
            Poll.event_id == Event.id, Poll.open_at(sa.bindparam("now"))
        )
        statement = AnswerPrefetch.add(statement).add_columns(has_agenda, has_open_polls)
        return _ThreadPrefetch.add(statement)

    @staticmethod
    def remember(user, event, rsvp, place, has_agenda, has_open_polls, *thread):
        AnswerPrefetch.remember(user, event, rsvp, place)
        none = prefetched("has none")
        none[("agenda", event.id)] = not has_agenda
        none[("open polls", event.id)] = not has_open_polls
        _ThreadPrefetch.remember(user, event, *thread)


forget_when_written("has none", AgendaSession, Poll)
_EVENT_FOR_PAGE = ReadWithMembership(
    _EVENT.options(without_group_texts(contains_eager(Event.group))),
    Event.group_id,
    lambda event: event.group,
    also=WithCohost(_PagePrefetch),
)


# The event's comments' page (and its live part): the event with its thread.
_EVENT_WITH_THREAD = ReadWithMembership(
    _EVENT, Event.group_id, lambda event: event.group, also=WithCohost(_ThreadPrefetch)
)


def known_to_have_none(what, event):
    """True when the event's page read, with the event, that it has no "agenda" or no
    "open polls" (forgotten once an agenda session or a poll is written, or at a rollback)."""
    return prefetched("has none").get((what, event.id), False)


def load_event(event_id, with_answer=False, for_page=False, to_answer=False, with_thread=False):
    """The event with its group, and the viewer's membership in it (one query), or None.
    with_answer: the viewer's answer too (rsvp_queries.answer_and_place then asks nothing);
    for_page: that, whether it has an agenda and open polls (known_to_have_none), and its
    comments' thread (with_thread); to_answer: with_answer, and the event's row locked
    until the transaction ends (a logged-in viewer's, who is about to answer);
    with_thread: its comments' thread, with whether the viewer follows it."""
    if for_page:
        return _EVENT_FOR_PAGE(event_id=event_id, now=utcnow())
    if with_thread:
        return _EVENT_WITH_THREAD(event_id=event_id)
    if to_answer and current_user.is_authenticated:
        event = _EVENT_TO_ANSWER(event_id=event_id)
        if event is not None:
            read_locked(event)
        return event
    return (_EVENT_WITH_ANSWER if with_answer else _EVENT_WITH_GROUP)(event_id=event_id)


def find_event(event_id, with_answer=False, for_page=False, to_answer=False, with_thread=False):
    """The event for the current user: 404 when it is not theirs to see."""
    event = load_event(event_id, with_answer, for_page, to_answer, with_thread)
    if event is None or not can_see_event(current_user, event):
        abort(404)
    return event


def get_event(event_id, need=can_see_event, to_answer=False):
    """find_event, then 403 unless need(current_user, event) holds."""
    event = find_event(event_id, to_answer=to_answer)
    if not need(current_user, event):
        abort(403)
    return event


def event_url(event, **values):
    """The event's readable address (/events/42-summer-picnic)."""
    return url_for("events.detail", event_id=event.id, slug=event.slug, **values)


def at_canonical_address(event, slug):
    """A GET for an event under another slug (renamed, or none) moves to its address."""
    if slug != event.slug and request.method in ("GET", "HEAD"):
        # The query goes along as it came: handed to url_for as keywords, a name such as
        # "endpoint", "slug" or "_scheme" was a 500 or a link to another scheme.
        query = request.query_string.decode("latin-1")
        abort(redirect(event_url(event) + (f"?{query}" if query else ""), 301))
