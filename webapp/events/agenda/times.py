"""How agenda times read: in a given zone, formatted by hand.

strftime per row doubled the cost of each row of a page (NOTES.md), so a clock time is
built from its numbers, and days come in the page's language from webapp/web/dates.py.
"""

from webapp.events.times import DASH, clock
from webapp.web.dates import day_text


def short_day(local):
    """'Sat 14 Jun', as the page's language writes it."""
    return day_text(local, "short_day")


def long_day(local):
    """A day's heading: Saturday 14 June 2026, as the page's language writes it."""
    return day_text(local, "long_day")


def day_and_clock(moment, zone):
    """A moment in zone, for messages' placeholders: {"day": "Sat 14 Jun", "time": "10:00"}."""
    local = moment.astimezone(zone)
    return {"day": short_day(local), "time": clock(local)}


def time_span(starts_at, ends_at, zone, with_day=True, abbreviate=False):
    """Sat 14 Jun, 10:00 (en dash) 11:30; the end's day too when it is another one.

    abbreviate: add the zone's abbreviation (11:30 CET), which tells apart the two
    01:30s of the night the clocks go back.
    """
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    first, last = clock(start), clock(end)
    if abbreviate:
        if start.tzname() != end.tzname():
            first += f" {start.tzname()}"
        last += f" {end.tzname()}"
    if with_day:
        first = f"{short_day(start)}, {first}"
    if end.date() != start.date():
        return f"{first} {DASH} {short_day(end)}, {last}"
    return f"{first}{DASH}{last}"


def local_input(moment, zone):
    """A moment as a datetime-local input shows it, in zone (naive)."""
    return moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
