"""The rule of a series' dates: what an organiser chooses (RepeatRule), its RFC 5545 RRULE
text (stored), the dates it gives (python-dateutil's rrule), and the rule in words.

A rule gives dates, not moments: each date's event starts at the series' time on the
clocks of its zone that day (horizon.py), so 19:00 stays 19:00 across a change of the
clocks. The text is the rule of a DTSTART of VALUE=DATE, the series' first date, so its
UNTIL is a date too. Only the rules Hearth's form makes are read back: weekly on some
weekdays, or monthly on a day of the month or on the first to fourth or last weekday,
every so many weeks or months, until a date or for a number of dates, or for ever.
"""

import functools
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from babel.dates import get_day_names
from dateutil.rrule import rrulestr

from webapp.database.unit_of_work import RuleError
from webapp.events.times import zone_label, zone_named
from webapp.web.dates import day_text
from webapp.web.languages import list_text
from webapp.web.translating import current_locale, ngettext
from webapp.web.translating import gettext as _

WEEKLY, MONTHLY = "WEEKLY", "MONTHLY"
ON_DAY, ON_WEEKDAY = "day", "weekday"
# RFC 5545's weekdays, Monday first as Python counts them.
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LAST = -1
MAX_INTERVAL = 12
MAX_COUNT = 200
# However far a rule goes, no series runs past this: a bound on every walk of its dates.
MAX_YEARS = 10


@dataclass(frozen=True)
class RepeatRule:
    """How a series repeats from its first date. weekdays: 0 (Monday) to 6, for a weekly
    rule; week_of_month: 1 to 4, or LAST, for a monthly rule on a weekday (the weekday is
    the first date's); otherwise a monthly rule takes the first date's day of the month."""

    frequency: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    monthly_on: str = ON_DAY
    until: date | None = None
    count: int | None = None

    def text(self, first_date):
        """The RRULE text (without DTSTART) of this rule from first_date."""
        parts = [f"FREQ={self.frequency}", f"INTERVAL={self.interval}"]
        if self.frequency == WEEKLY:
            days = sorted(set(self.weekdays) or {first_date.weekday()})
            parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days))
        elif self.monthly_on == ON_WEEKDAY:
            parts.append(f"BYDAY={week_of_month(first_date)}{WEEKDAY_CODES[first_date.weekday()]}")
        else:
            parts.append(f"BYMONTHDAY={first_date.day}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        elif self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


def week_of_month(day):
    """Which of its weekday day is in its month: 1 to 4, or LAST for a fifth."""
    nth = (day.day - 1) // 7 + 1
    return LAST if nth == 5 else nth


def parse(text):
    """A RepeatRule from RRULE text that RepeatRule.text wrote."""
    parts = dict(part.split("=", 1) for part in text.split(";"))
    byday = parts.get("BYDAY", "")
    until = parts.get("UNTIL")
    return RepeatRule(
        frequency=parts["FREQ"],
        interval=int(parts.get("INTERVAL", "1")),
        weekdays=tuple(WEEKDAY_CODES.index(code[-2:]) for code in byday.split(",") if code)
        if parts["FREQ"] == WEEKLY
        else (),
        monthly_on=ON_WEEKDAY if parts["FREQ"] == MONTHLY and byday else ON_DAY,
        until=datetime.strptime(until[:8], "%Y%m%d").date() if until else None,
        count=int(parts["COUNT"]) if "COUNT" in parts else None,
    )


def check(rule, first_date):
    """RuleError (on a field of the repeat form) when rule cannot make a series from
    first_date; the rule as it will be stored otherwise."""
    if not 1 <= rule.interval <= MAX_INTERVAL:
        raise RuleError(
            _("Repeat every 1 to %(most)d weeks or months.", most=MAX_INTERVAL), "repeat_every"
        )
    if rule.frequency == WEEKLY and rule.weekdays and first_date.weekday() not in rule.weekdays:
        raise RuleError(
            _(
                "The first date is a %(weekday)s: choose that day too.",
                weekday=_day_name(first_date.weekday()),
            ),
            "repeat_weekdays",
        )
    if rule.until is not None:
        if rule.until <= first_date:
            raise RuleError(_("The series must end after its first date."), "repeat_until")
        if rule.until > last_possible_date(first_date):
            raise RuleError(
                ngettext(
                    "A series lasts at most %(num)d year.",
                    "A series lasts at most %(num)d years.",
                    MAX_YEARS,
                ),
                "repeat_until",
            )
        if len(dates_between(rule.text(first_date), first_date, first_date, rule.until)) < 2:
            raise RuleError(_("The rule gives only one date before it ends."), "repeat_until")
    if rule.count is not None and not 2 <= rule.count <= MAX_COUNT:
        raise RuleError(_("A series has from 2 to %(most)d dates.", most=MAX_COUNT), "repeat_count")
    return rule


def last_possible_date(first_date):
    """The last day a series from first_date may reach (MAX_YEARS on, less a day)."""
    return (
        date(first_date.year + MAX_YEARS, 1, 1)
        + (first_date - date(first_date.year, 1, 1))
        - timedelta(days=1)
    )


@functools.lru_cache(maxsize=512)
def _recurrence(text, first_date):
    return rrulestr(text, dtstart=datetime.combine(first_date, time()))


def dates_between(text, first_date, start, end):
    """The dates of the rule text from first_date that fall from start to end (inclusive),
    in order, none past the series' last possible date."""
    end = min(end, last_possible_date(first_date))
    if end < start:
        return []
    moments = _recurrence(text, first_date).between(
        datetime.combine(start, time()), datetime.combine(end, time()), inc=True
    )
    return [moment.date() for moment in moments]


def ended_on(rule, last_date):
    """rule, ended so that no date comes after last_date."""
    return replace(rule, until=last_date, count=None)


def _day_name(weekday):
    locale = current_locale() or "en"
    return get_day_names("wide", "format", locale=locale)[weekday]


def _week_phrase(week, weekday, months):
    """'Every month on the second Tuesday', one sentence a week of the month, so that each
    language writes its ordinal as it must."""
    names = {"weekday": _day_name(weekday)}
    if week == 1:
        return ngettext(
            "every month on the first %(weekday)s",
            "every %(num)d months on the first %(weekday)s",
            months,
            **names,
        )
    if week == 2:
        return ngettext(
            "every month on the second %(weekday)s",
            "every %(num)d months on the second %(weekday)s",
            months,
            **names,
        )
    if week == 3:
        return ngettext(
            "every month on the third %(weekday)s",
            "every %(num)d months on the third %(weekday)s",
            months,
            **names,
        )
    if week == 4:
        return ngettext(
            "every month on the fourth %(weekday)s",
            "every %(num)d months on the fourth %(weekday)s",
            months,
            **names,
        )
    return ngettext(
        "every month on the last %(weekday)s",
        "every %(num)d months on the last %(weekday)s",
        months,
        **names,
    )


def _repeats(rule, first_date):
    if rule.frequency == WEEKLY:
        days = list_text(_day_name(day) for day in sorted(rule.weekdays or {first_date.weekday()}))
        if rule.interval == 1:
            return _("every %(weekdays)s", weekdays=days)
        return ngettext(
            "every %(num)d week on %(weekdays)s",
            "every %(num)d weeks on %(weekdays)s",
            rule.interval,
            weekdays=days,
        )
    if rule.monthly_on == ON_WEEKDAY:
        return _week_phrase(week_of_month(first_date), first_date.weekday(), rule.interval)
    return ngettext(
        "every month on day %(day)d",
        "every %(num)d months on day %(day)d",
        rule.interval,
        day=first_date.day,
    )


def in_words(series):
    """'Every Tuesday at 19:00, Europe/Madrid': the series' rule as a sentence."""
    rule = parse(series.rule)
    # TRANSLATORS: repeats is "every Tuesday", "every month on the second Tuesday"...;
    # time "19:00"; zone "Europe/Madrid".
    return _(
        "Repeats %(repeats)s at %(time)s, %(zone)s.",
        repeats=_repeats(rule, series.first_date),
        time=f"{series.starts_time.hour:02d}:{series.starts_time.minute:02d}",
        zone=zone_label(zone_named(series.time_zone)),
    )


def end_in_words(series):
    """'Until 31 March 2027.', '10 dates in all.', or '' for a series without an end."""
    rule = parse(series.rule)
    if rule.until is not None:
        return _("Until %(day)s.", day=day_text(rule.until, "long_date"))
    if rule.count is not None:
        return ngettext("%(num)d date in all.", "%(num)d dates in all.", rule.count)
    return ""
