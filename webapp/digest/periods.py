"""When a person's digest is due: at 08:00 on their own clock, every morning (daily) or on
Monday mornings (weekly), and for some hours after, so a worker that was down or late
still sends it, once. A period is named by its frequency and its first local day."""

from datetime import datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from webapp.digest.models import Frequency

SEND_AT = time(8, 0)
# A digest not sent within this long of its 08:00 is skipped, not sent in the afternoon
# or the next day: one that is late by a day tells of a day that is over.
LATE_BY = timedelta(hours=12)


class Period(NamedTuple):
    key: str  # "weekly:2026-11-23"
    starts_at: datetime  # its 08:00, in the person's zone


def current_period(frequency, zone_name, now):
    """The period whose digest is due at now for someone in zone_name, or None: before
    08:00, past LATE_BY, or (weekly) not a Monday."""
    zone = ZoneInfo(zone_name)
    local = now.astimezone(zone)
    day = local.date()
    if local.time() < SEND_AT:
        day -= timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        day -= timedelta(days=day.weekday())
    # The 08:00 of that local day, read in the zone (a day when clocks change included).
    starts_at = datetime.combine(day, SEND_AT, tzinfo=zone)
    if not starts_at <= now < starts_at + LATE_BY:
        return None
    return Period(f"{frequency}:{day.isoformat()}", starts_at)
