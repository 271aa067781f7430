"""Rules of events: create, change, publish, cancel and delete them, verb_event(actor, ...).

They flush and raise RuleError naming the form field it is about; the request commits.
Each then sends its signal (signals.py) inside the transaction, so what receivers write
(mail, promotions from the waitlist) commits or rolls back with the change. A change of
state first locks the event's row and re-reads it: the RSVP rules keep places_taken under
the same lock, so a capacity checked here cannot drop below people who answered a moment
ago, and two clicks on Publish send one announcement.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from slugify import slugify

from webapp.audit.models import AuditAction
from webapp.audit.services import log_on_event
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.models import Event, EventStatus
from webapp.events.signals import (
    event_cancelled,
    event_changed,
    event_deleted,
    event_published,
    publication_announced,
)
from webapp.events.times import to_utc
from webapp.extensions import db
from webapp.web.markdown import render_markdown
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

# Bounded, so that "upcoming" (not yet ended) is a range on the start, which is indexed:
# an event that ends after now started less than this long ago.
MAX_DURATION = timedelta(days=31)


@dataclass(frozen=True)
class EventDetails:
    """What an organiser typed; the times are naive wall-clock times in time_zone."""

    title: str
    description: str
    venue: str
    address: str
    online_url: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    rsvp_deadline: datetime | None
    guests_allowed: int


def suggest_slug(title):
    return slugify(title, max_length=60, word_boundary=True) or "event"


def stored_values(details):
    """The columns details stand for, times in UTC; RuleError on the first rule broken."""
    zone = details.time_zone
    starts_at = to_utc(details.starts_at, zone, "starts_at")
    ends_at = to_utc(details.ends_at, zone, "ends_at")
    if ends_at <= starts_at:
        raise RuleError(_("The end must come after the start."), "ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise RuleError(
            ngettext(
                "An event lasts at most %(num)d day: make a longer one several events.",
                "An event lasts at most %(num)d days: make a longer one several events.",
                MAX_DURATION.days,
            ),
            "ends_at",
        )
    deadline = None
    if details.rsvp_deadline is not None:
        deadline = to_utc(details.rsvp_deadline, zone, "rsvp_deadline")
        if deadline > starts_at:
            raise RuleError(
                _("The RSVP deadline must be no later than the start."), "rsvp_deadline"
            )
    return {
        "title": details.title,
        "description": details.description,
        "venue": details.venue,
        "address": details.address,
        "online_url": details.online_url,
        "time_zone": zone,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": details.capacity,
        "rsvp_deadline": deadline,
        "guests_allowed": details.guests_allowed,
    }


def _touch(event):
    """The organisers changed what the event says (models.Event.updated_at)."""
    event.updated_at = utcnow()


def write_event(event, values):
    """Set what the organisers wrote (stored_values' columns), and what follows from it."""
    for name, value in values.items():
        setattr(event, name, value)
    _touch(event)
    event.slug = suggest_slug(event.title)
    # Rendered once here, as groups do, rather than on every view of the page.
    event.description_html = str(render_markdown(event.description))


def create_event(actor, group, details):
    """A new draft of group's, seen by its organisers until they publish it."""
    event = Event(group=group, created_by_id=actor.id, status=EventStatus.DRAFT)
    write_event(event, stored_values(details))
    db.session.add(event)
    db.session.flush()
    return event


def _lock(event, *names):
    """Lock the event's row and read names again (what another request may have changed)."""
    lock_row(event)
    # rsvp_version too: a change here moves it on (webapp.events.rsvp.services.panel_changed).
    db.session.refresh(event, ["status", "deleted_at", "rsvp_version", *names])
    if not event.is_live:
        raise RuleError(_("This event was deleted a moment ago."))


def update_event(actor, event, details):
    """Change what organisers typed; returns the names of the fields that changed. A
    date of a series changed alone keeps its own values from then on (detached)."""
    return change_event(actor, event, stored_values(details), detach=True)


def change_event(actor, event, values, detach=False):
    """Write values (stored_values' columns) to event under its lock; returns the names
    of the fields that changed. detach: a date of a series now goes its own way
    (webapp.events.series changes the later dates of a series with detach=False)."""
    _lock(event, "places_taken")
    if event.is_cancelled:
        raise RuleError(_("This event is cancelled: it can no longer be changed."))
    if values["capacity"] is not None and values["capacity"] < event.places_taken:
        raise RuleError(
            ngettext(
                "%(num)d place is already taken (people going and their guests): the "
                "capacity cannot be lower than that.",
                "%(num)d places are already taken (people going and their guests): the "
                "capacity cannot be lower than that.",
                event.places_taken,
            ),
            "capacity",
        )
    changes = {name for name, value in values.items() if getattr(event, name) != value}
    if not changes:
        return changes
    write_event(event, values)
    if event.series_id is not None:
        event.series_detached = detach
    log_on_event(actor, AuditAction.EVENT_EDITED, event, detail=", ".join(sorted(changes)))
    db.session.flush()
    event_changed.send(event, changes=changes)
    return changes


def publish_event(actor, event):
    """A draft goes out: the group's members see it and may answer."""
    _lock(event, "ends_at")
    if not event.is_draft:
        raise RuleError(
            _("This event is cancelled.")
            if event.is_cancelled
            else _("This event is already published.")
        )
    if event.has_ended():
        raise RuleError(_("This event has already ended: change its dates before publishing it."))
    event.status = EventStatus.PUBLISHED
    event.published_at = utcnow()
    _touch(event)
    log_on_event(actor, AuditAction.EVENT_PUBLISHED, event)
    db.session.flush()
    event_published.send(event)


def announce_publication(actor, event):
    """Tell the group's members of a newly published event (announcements hears it, and
    may refuse: the group's week is full)."""
    publication_announced.send(event, actor=actor)


def cancel_event(actor, event, with_series=False):
    """Called off: the page stays, saying so, and answers close. with_series: by the end
    of its series, which tells its people of all its dates at once."""
    _lock(event)
    if event.is_draft:
        raise RuleError(_("Nobody has seen this draft: delete it instead of cancelling it."))
    if event.is_cancelled:
        raise RuleError(_("This event is already cancelled."))
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    _touch(event)
    log_on_event(actor, AuditAction.EVENT_CANCELLED, event)
    db.session.flush()
    event_cancelled.send(event, with_series=with_series)


def delete_event(actor, event):
    """Soft delete: the row stays, the event vanishes from lists and its page."""
    _lock(event)
    event.deleted_at = utcnow()
    _touch(event)
    log_on_event(actor, AuditAction.EVENT_DELETED, event)
    db.session.flush()
    event_deleted.send(event)
