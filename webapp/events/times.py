"""An event's times: local wall-clock times in its zone in, UTC stored, readable text out.

Forms take what an organiser reads on a clock where the event happens; the database keeps
UTC. A local time the clocks skip (spring forward) does not exist and is refused; one
they pass twice (fall back) means the first of the two. Text is built by hand rather than
with strftime: a list formats one time per row, and strftime per row was costly (NOTES.md);
days come in the page's language from webapp/web/dates.py, which is as quick.
"""

import functools
from datetime import UTC
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from webapp.database.unit_of_work import RuleError
from webapp.web.dates import day_text
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

DASH = "\N{EN DASH}"


def to_utc(local, zone, field):
    """The UTC moment of a naive local time in zone (a ZoneInfo or its name).

    A time the clocks skip (spring forward) does not exist: RuleError on field. One they
    pass twice (fall back) is read as its first occurrence (fold=0). An aware moment is
    already a moment: it is only converted.
    """
    zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    try:
        first = local.replace(tzinfo=zone, fold=0)
        in_utc = first.astimezone(UTC)
        back = in_utc.astimezone(zone).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise RuleError(_("Enter a date between the years 2000 and 2100."), field) from None
    if back != local:
        jump = local.replace(tzinfo=zone, fold=1).utcoffset() - first.utcoffset()
        minutes = int(abs(jump).total_seconds() // 60)
        raise RuleError(skipped_time_message(local, zone, minutes), field)
    return in_utc


def skipped_time_message(local, zone, minutes):
    """Why local, which the clocks of zone skip by minutes, is refused."""
    names = {"time": clock(local), "day": day(local), "zone": zone_label(zone)}
    if minutes == 60:
        # TRANSLATORS: time is 02:30, day "Sun 29 Mar 2026", zone "Europe/Paris".
        return _(
            "%(time)s on %(day)s does not exist in %(zone)s: the clocks go forward an hour "
            "that night. Choose a time before or after.",
            **names,
        )
    # TRANSLATORS: time is 02:30, day "Sun 29 Mar 2026", zone "Europe/Paris".
    return ngettext(
        "%(time)s on %(day)s does not exist in %(zone)s: the clocks go forward %(num)d "
        "minute that night. Choose a time before or after.",
        "%(time)s on %(day)s does not exist in %(zone)s: the clocks go forward %(num)d "
        "minutes that night. Choose a time before or after.",
        minutes,
        **names,
    )


def to_local(moment, zone_name):
    """A stored UTC moment as the naive wall-clock time of zone_name (what a form shows)."""
    return moment.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)


def day(moment):
    """'Sat 5 Dec 2026', or as the page's language writes it (webapp/web/dates.py)."""
    return day_text(moment)


def clock(moment):
    return f"{moment.hour:02d}:{moment.minute:02d}"


def moment_text(moment, zone):
    """'Sat 5 Dec 2026, 18:00 CET': moment (aware) in zone, with the zone's abbreviation."""
    local = moment.astimezone(zone)
    return f"{day(local)}, {clock(local)} {local.tzname()}"


def span_text(starts_at, ends_at, zone):
    """'Sat 5 Dec 2026, 18:00-20:00 CET' (an en dash), or both days when it ends on another one, and
    both abbreviations when the clocks change in between."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() != end.date():
        return f"{moment_text(start, zone)} {DASH} {moment_text(end, zone)}"
    if start.tzname() != end.tzname():
        return f"{day(start)}, {clock(start)} {start.tzname()}{DASH}{clock(end)} {end.tzname()}"
    return f"{day(start)}, {clock(start)}{DASH}{clock(end)} {start.tzname()}"


def same_clocks(starts_at, ends_at, zone, other):
    """True when zone and other read the same time at both ends (no 'your time' needed)."""
    return all(
        m.astimezone(zone).utcoffset() == m.astimezone(other).utcoffset()
        for m in (starts_at, ends_at)
    )


@functools.lru_cache(maxsize=256)
def zone_named(name):
    """The ZoneInfo of name, kept: a list asks for the same few zones on every row."""
    return ZoneInfo(name)


def zone_label(zone):
    """'America/New York': a zone's name as a person reads it."""
    return zone.key.replace("_", " ")


def in_own_zone(when, zone, whose):
    """'18:00 in America/New York, the event's time zone': when, on the clocks of zone,
    whose zone it is. whose: "the event's" or "the poll's", each its own sentence."""
    if whose == "the poll's":
        # TRANSLATORS: when is "18:00" or "Sat 5 Dec 2026, 18:00"; zone "America/New York".
        return _("%(when)s in %(zone)s, the poll's time zone", when=when, zone=zone)
    # TRANSLATORS: when is "18:00" or "Sat 5 Dec 2026, 18:00"; zone "America/New York".
    return _("%(when)s in %(zone)s, the event's time zone", when=when, zone=zone)


def listed_moment(moment, own_zone, viewer_zone, whose):
    """A moment in a list that mixes zones, as (on the viewer's clocks, on its own zone's).

    The second is '' when both clocks read the same; otherwise 'Sat 5 Dec 2026, 18:00 in
    America/New York, the event's time zone' (whose: "the event's", or "the poll's": see
    in_own_zone), its day left out when it is the viewer's day too.
    """
    mine = moment.astimezone(viewer_zone)
    text = f"{day(mine)}, {clock(mine)} {mine.tzname()}"
    if own_zone is viewer_zone:
        return text, ""
    own = moment.astimezone(own_zone)
    if own.utcoffset() == mine.utcoffset():
        return text, ""
    when = clock(own) if own.date() == mine.date() else f"{day(own)}, {clock(own)}"
    return text, in_own_zone(when, zone_label(own_zone), whose)


def listed_span(starts_at, ends_at, own_zone, viewer_zone, whose):
    """A span in a list (a date poll's slot), as listed_moment: (the viewer's, its own or '')."""
    text = span_text(starts_at, ends_at, viewer_zone)
    if own_zone is viewer_zone or same_clocks(starts_at, ends_at, own_zone, viewer_zone):
        return text, ""
    own = span_text(starts_at, ends_at, own_zone)
    return text, in_own_zone(own, zone_label(own_zone), whose)


def listed_html(moment, shown):
    """shown (listed_moment's or listed_span's pair) as HTML: a <time> for moment, and
    the other zone's clocks beside it in brackets when there are any."""
    text, own = shown
    # escape() and an f-string: Markup.format cost several times as much, on every row.
    html = f'<time datetime="{iso(moment)}">{escape(text)}</time>'
    if own:
        html += f" <small>({escape(own)})</small>"
    # Safe to mark: every part is escaped above, or an ISO time of our own making.
    # nosemgrep: markup-of-a-variable
    return Markup(html)  # noqa: S704  # nosec B704


def iso(moment):
    """For <time datetime=...>: the UTC moment, machine-readable."""
    return moment.astimezone(UTC).isoformat(timespec="minutes")
