"""What one person's digest tells: new events in their groups, the events they are going
to in the coming week, their places on waitlists, open polls waiting for their vote, their
tasks due, announcements they have not read, and (for those who chose so) the threads
they follow with new comments. Only their groups' (those they are an
active member of, not left out of the digest), never an item a digest told them of
before, at most MOST of each."""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from webapp.announcements.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementState,
    Delivery,
)
from webapp.database.times import utcnow
from webapp.digest.models import DigestGroupLeftOut, DigestItem
from webapp.discussions.queries import talk_in_digest, threads_with_news
from webapp.events.models import Event, EventListing, EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.groups.models import Group, Membership, MembershipStatus
from webapp.polls.models import Poll, Vote
from webapp.tasks.models import Task

MOST = 10
COMING = timedelta(days=7)
NEW_SINCE = timedelta(days=7)
# An announcement older than this is not brought up again, read or not.
ANNOUNCEMENTS_SINCE = timedelta(days=30)


@dataclass
class Contents:
    new_events: list = field(default_factory=list)
    going: list = field(default_factory=list)
    waitlisted: list = field(default_factory=list)  # (event, place)
    polls: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    announcements: list = field(default_factory=list)
    # Threads they follow by digest, with comments they were not told of.
    threads: list = field(default_factory=list)

    def items(self):
        """The keys of everything it tells of, as digest_items keeps them."""
        return (
            [f"event:{event.id}" for event in self.new_events]
            + [f"going:{event.id}" for event in self.going]
            + [f"waitlist:{event.id}" for event, _place in self.waitlisted]
            + [f"poll:{poll.id}" for poll in self.polls]
            + [f"task:{task.id}" for task in self.tasks]
            + [f"announcement:{one.id}" for one in self.announcements]
            + [f"talk:{thread.id}:{thread.last_comment_id}" for thread in self.threads]
        )

    def groups(self):
        """The groups it tells of, by name."""
        found = {}
        for event in self.new_events + self.going + [event for event, _ in self.waitlisted]:
            found[event.group.id] = event.group
        for thing in self.polls + self.announcements:
            found[thing.group.id] = thing.group
        for task in self.tasks:
            found[task.event.group.id] = task.event.group
        for thread in self.threads:
            found[thread.group.id] = thread.group
        return sorted(found.values(), key=lambda group: (group.name.casefold(), group.id))

    def __bool__(self):
        return bool(self.items())


def _not_told(user, prefix, id_column):
    """SQL: user's digests never told of the item prefix:id."""
    key = sa.literal(f"{prefix}:") + sa.cast(id_column, sa.String)
    return ~sa.exists().where(DigestItem.user_id == user.id, DigestItem.item == key)


def _in_their_groups(user, group_id_column):
    """SQL: the group is live, user an active member, and not left out of their digest."""
    return sa.and_(
        sa.exists().where(
            Membership.group_id == group_id_column,
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
        ),
        ~sa.exists().where(
            DigestGroupLeftOut.group_id == group_id_column, DigestGroupLeftOut.user_id == user.id
        ),
    )


def _events():
    return (
        sa.select(Event)
        .join(Group, Group.id == Event.group_id)
        .options(contains_eager(Event.group))
        .where(Event.deleted_at.is_(None), Event.status == EventStatus.PUBLISHED, Group.listed())
    )


def new_events(user, since, now):
    """Events published in their groups since `since`, still to come, soonest first; a
    series by its next date alone."""
    statement = (
        _events()
        .where(
            Event.published_at > since,
            Event.starts_at > now,
            Event.listing != EventListing.HIDDEN,
            _in_their_groups(user, Event.group_id),
            _not_told(user, "event", Event.id),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(MOST)
    )
    return db.session.scalars(statement).all()


def going(user, now):
    """The events they are going to in the coming week, soonest first."""
    statement = (
        _events()
        .join(Rsvp, sa.and_(Rsvp.event_id == Event.id, Rsvp.user_id == user.id))
        .where(
            Rsvp.answer == Answer.GOING,
            Event.starts_at > now,
            Event.starts_at <= now + COMING,
            _in_their_groups(user, Event.group_id),
            _not_told(user, "going", Event.id),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(MOST)
    )
    return db.session.scalars(statement).all()


def waitlisted(user, now):
    """(event, their place in line) of the coming events they wait for, soonest first."""
    ahead = aliased(Rsvp)
    place = (
        sa.select(sa.func.count() + 1)
        .where(
            ahead.event_id == Rsvp.event_id,
            ahead.answer == Answer.WAITLISTED,
            ahead.waitlist_ticket < Rsvp.waitlist_ticket,
        )
        .scalar_subquery()
    )
    statement = (
        _events()
        .join(Rsvp, sa.and_(Rsvp.event_id == Event.id, Rsvp.user_id == user.id))
        .add_columns(place)
        .where(
            Rsvp.answer == Answer.WAITLISTED,
            Event.starts_at > now,
            _in_their_groups(user, Event.group_id),
            _not_told(user, "waitlist", Event.id),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(MOST)
    )
    return [(event, place) for event, place in db.session.execute(statement)]


def open_polls(user, now):
    """Open polls of their groups (and of its published events) they have not voted in,
    those closing soonest first."""
    event = aliased(Event)
    statement = (
        sa.select(Poll)
        .join(Group, Group.id == Poll.group_id)
        .options(contains_eager(Poll.group))
        .outerjoin(event, event.id == Poll.event_id)
        .where(
            Group.listed(),
            Poll.open_at(now),
            sa.or_(
                Poll.event_id.is_(None),
                sa.and_(event.deleted_at.is_(None), event.status == EventStatus.PUBLISHED),
            ),
            ~sa.exists().where(Vote.poll_id == Poll.id, Vote.user_id == user.id),
            _in_their_groups(user, Poll.group_id),
            _not_told(user, "poll", Poll.id),
        )
        .order_by(Poll.closes_at.is_(None), Poll.closes_at, Poll.id)
        .limit(MOST)
    )
    return db.session.scalars(statement).all()


def tasks_due(user, today):
    """Their tasks not done, due by a week from today (their day) or overdue, of events
    not cancelled; the earliest first."""
    statement = (
        sa.select(Task)
        .join(Event, Event.id == Task.event_id)
        .join(Group, Group.id == Event.group_id)
        .options(contains_eager(Task.event).contains_eager(Event.group))
        .where(
            Task.assignee_id == user.id,
            Task.done_at.is_(None),
            Task.due_on.is_not(None),
            Task.due_on <= today + COMING,
            Event.deleted_at.is_(None),
            Event.status != EventStatus.CANCELLED,
            Group.listed(),
            _in_their_groups(user, Event.group_id),
            _not_told(user, "task", Task.id),
        )
        .order_by(Task.due_on, Task.id)
        .limit(MOST)
    )
    return db.session.scalars(statement).all()


def unread_announcements(user, now):
    """Announcements that went to them (their group's, or an event's to their answer) in
    the last weeks, that they have not opened, from groups whose announcements they did
    not turn off; the latest first."""
    answered = sa.exists().where(
        Rsvp.event_id == Announcement.event_id,
        Rsvp.user_id == user.id,
        sa.or_(
            sa.and_(Announcement.to_going, Rsvp.answer == Answer.GOING),
            sa.and_(Announcement.to_maybe, Rsvp.answer == Answer.MAYBE),
            sa.and_(Announcement.to_waitlisted, Rsvp.answer == Answer.WAITLISTED),
        ),
    )
    statement = (
        sa.select(Announcement)
        .join(Group, Group.id == Announcement.group_id)
        .options(contains_eager(Announcement.group))
        .where(
            Group.listed(),
            Announcement.state == AnnouncementState.SENT,
            Announcement.sent_at > now - ANNOUNCEMENTS_SINCE,
            sa.or_(Announcement.event_id.is_(None), answered),
            ~sa.exists().where(
                AnnouncementRead.announcement_id == Announcement.id,
                AnnouncementRead.user_id == user.id,
            ),
            ~sa.exists().where(
                AnnouncementDelivery.group_id == Announcement.group_id,
                AnnouncementDelivery.user_id == user.id,
                AnnouncementDelivery.delivery == Delivery.OFF,
            ),
            _in_their_groups(user, Announcement.group_id),
            _not_told(user, "announcement", Announcement.id),
        )
        .order_by(Announcement.sent_at.desc(), Announcement.id.desc())
        .limit(MOST)
    )
    return db.session.scalars(statement).all()


def contents_for(user, period, now=None):
    """What user's digest of period tells, told or not before: an empty Contents when
    there is nothing new."""
    now = now or utcnow()
    today = now.astimezone(period.starts_at.tzinfo).date()
    # New events: those published in the week before, not told of yet (digest_items), so
    # one published as a digest went out, or before one joined, is in the next.
    since = period.starts_at - NEW_SINCE
    return Contents(
        new_events=new_events(user, since, now),
        going=going(user, now),
        waitlisted=waitlisted(user, now),
        polls=open_polls(user, now),
        tasks=tasks_due(user, today),
        announcements=unread_announcements(user, now),
        threads=threads_with_news(user, MOST) if talk_in_digest(user) else [],
    )
