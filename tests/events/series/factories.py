"""Series for tests, made through the series' own rules."""

from datetime import datetime, timedelta

from webapp.database.times import utcnow
from webapp.events.series.rules import RepeatRule
from webapp.events.series.services import create_series, publish_series
from webapp.events.services import EventDetails
from webapp.extensions import db


def series_details(title="Board games", days_ahead=3, zone="Europe/Madrid", capacity=5):
    """What an organiser types for a series' first date: days_ahead at 19:00 in zone."""
    day = utcnow().date() + timedelta(days=days_ahead)
    start = datetime(day.year, day.month, day.day, 19)
    return EventDetails(
        title=title,
        description="",
        venue="The Lantern",
        address="",
        online_url="",
        time_zone=zone,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        rsvp_deadline=None,
        guests_allowed=0,
    )


def make_series(owner, group, rule=None, published=True, **details):
    """A committed series of group's (weekly unless rule says otherwise); returns its
    first date's event."""
    first = create_series(owner, group, series_details(**details), rule or RepeatRule("WEEKLY"))
    if published:
        publish_series(owner, first.series)
    db.session.commit()
    return first
