"""A person's private calendar feed: its address, what it lists, and making a new address.

The address carries `<user id>-<HMAC-SHA256 of the user id and a generation number>`,
keyed from SECRET_KEY. Nothing secret is stored: the server recomputes the token, so
the settings page can show the address again, and "make a new address" only adds one to
the generation, which ends the old address at once. Changing SECRET_KEY ends every feed
address (people subscribe again). The token is 256 bits: not guessable.
"""

import base64
import hashlib
import hmac
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from webapp.accounts.models import User
from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.events.mail.models import CalendarFeed, EventMailState
from webapp.events.models import LISTED_STATUSES, Event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.groups.models import Group, Membership, MembershipStatus, Visibility
from webapp.web.converters import MAX_ID
from webapp.web.public_url import absolute_url

# Answers a feed lists. The waitlist too, as TENTATIVE: a promotion is automatic, so
# someone waiting has kept the time free and should see the event in their calendar.
FEED_ANSWERS = (Answer.GOING, Answer.WAITLISTED)
# Past events stay this long, then leave the feed; and a feed never grows past FEED_LIMIT.
FEED_PAST = timedelta(days=90)
FEED_LIMIT = 500
_MAC_LENGTH = 43  # unpadded base64 of 32 bytes


def _key():
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    # A key of its own, so a feed token is no use for anything else signed with SECRET_KEY.
    return hmac.new(secret, b"hearth.calendar-feed", hashlib.sha256).digest()


def feed_token(user_id, generation):
    mac = hmac.new(_key(), f"{user_id}:{generation}".encode(), hashlib.sha256).digest()
    return f"{user_id}-{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def _user_id_in(token):
    """The user id a well-formed token names, or None: checked before any query."""
    user_part, _, mac = token.partition("-")
    if not (token.isascii() and user_part.isdigit() and len(mac) == _MAC_LENGTH):
        return None
    user_id = int(user_part)
    return user_id if 1 <= user_id <= MAX_ID else None


def user_for_feed_token(token):
    """The active user whose current feed address this is, or None (one query)."""
    user_id = _user_id_in(token)
    if user_id is None:
        return None
    row = db.session.execute(
        sa.select(User, CalendarFeed.generation)
        .outerjoin(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(User.id == user_id)
    ).first()
    if row is None or not row.User.active:
        return None
    expected = feed_token(user_id, row.generation or 0)
    return row.User if hmac.compare_digest(expected.encode(), token.encode()) else None


def feed_generation(user):
    return (
        db.session.scalar(sa.select(CalendarFeed.generation).where(CalendarFeed.user_id == user.id))
        or 0
    )


def feed_url(user):
    """The address to subscribe to, on the app's public address."""
    token = feed_token(user.id, feed_generation(user))
    return absolute_url("events.calendar.feed", token=token)


def renew_feed(user):
    """Make a new feed address for user; the old one answers 404 from now on."""
    insert_or_ignore(CalendarFeed, user_id=user.id, generation=0, renewed_at=utcnow())
    db.session.execute(
        sa.update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id)
        .values(generation=CalendarFeed.generation + 1, renewed_at=utcnow())
    )


def _visible_to(user):
    """SQL: the event's group is one user may see (public, or theirs as an active member)."""
    if user.is_site_admin:
        return sa.true()
    return sa.or_(
        Group.visibility == Visibility.PUBLIC,
        sa.exists().where(
            Membership.group_id == Group.id,
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.ACTIVE,
        ),
    )


def feed_entries(user, now=None):
    """(event, sequence, answer) for the feed, soonest first: one query, at most FEED_LIMIT."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Event, EventMailState.sequence, Rsvp.answer)
        .join(Rsvp, sa.and_(Rsvp.event_id == Event.id, Rsvp.user_id == user.id))
        .join(Group, Group.id == Event.group_id)
        .outerjoin(EventMailState, EventMailState.event_id == Event.id)
        .where(
            Rsvp.answer.in_(FEED_ANSWERS),
            Event.deleted_at.is_(None),
            Event.status.in_(LISTED_STATUSES),
            Event.ends_at >= now - FEED_PAST,
            Group.listed(),
            _visible_to(user),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(FEED_LIMIT)
    )
    return [(event, sequence or 0, answer) for event, sequence, answer in rows]


def sequence_of(event):
    """The event's calendar SEQUENCE (0 until its time or place first changes)."""
    return (
        db.session.scalar(
            sa.select(EventMailState.sequence).where(EventMailState.event_id == event.id)
        )
        or 0
    )


def sequences_of(events):
    """{event id: its calendar SEQUENCE} for events, in one statement."""
    ids = [event.id for event in events]
    rows = db.session.execute(
        sa.select(EventMailState.event_id, EventMailState.sequence).where(
            EventMailState.event_id.in_(ids)
        )
    )
    found = dict(rows.all())
    return {event_id: found.get(event_id) or 0 for event_id in ids}


def bump_sequence(event):
    """The time or place (or status) changed: calendar apps must take the new version."""
    insert_or_ignore(EventMailState, event_id=event.id, sequence=0)
    db.session.execute(
        sa.update(EventMailState)
        .where(EventMailState.event_id == event.id)
        .values(sequence=EventMailState.sequence + 1)
    )
