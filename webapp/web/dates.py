"""Days as the page's language writes them: "Sat 5 Dec 2026", "sáb, 5 dic 2026".

A list formats a day on every row, and Babel's formatting reads its pattern afresh on each
call, which costs as much as the rest of the row. So each language's pattern (CLDR's, by
skeleton or by length) is read once into a list of pieces and a day is then joined from
its numbers and the locale's names. English keeps Hearth's own British forms ("Sat 5 Dec
2026": day before month, no commas), which CLDR's root English (American) does not give.
"""

import functools
import re

from babel import Locale
from babel.dates import format_skeleton, get_date_format

from webapp.web.translating import current_locale

_EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EN_LONG_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _english_day(d):
    return f"{_EN_DAYS[d.weekday()]} {d.day} {_EN_MONTHS[d.month - 1]} {d.year}"


def _english_short_day(d):
    return f"{_EN_DAYS[d.weekday()]} {d.day} {_EN_MONTHS[d.month - 1]}"


def _english_long_day(d):
    return f"{_EN_LONG_DAYS[d.weekday()]} {d.day} {_EN_LONG_MONTHS[d.month - 1]} {d.year}"


def _english_date(d):
    return f"{d.day:02d} {_EN_MONTHS[d.month - 1]} {d.year}"


def _english_long_date(d):
    return f"{d.day:02d} {_EN_LONG_MONTHS[d.month - 1]} {d.year}"


# What a day is written as, by use: (CLDR's skeleton or length for it, Hearth's English).
FORMS = {
    # A day with its weekday, in lists and on pages: "Sat 5 Dec 2026".
    "day": ("yMMMEd", _english_day),
    # The same without its year, where the year is plain (an agenda): "Sat 14 Jun".
    "short_day": ("MMMEd", _english_short_day),
    # A heading, or a date in a sentence: "Saturday 14 June 2026".
    "long_day": ("full", _english_long_day),
    # A date in a table: "05 Dec 2026".
    "date": ("yMMMd", _english_date),
    # A date in a sentence, without its weekday: "05 December 2026".
    "long_date": ("long", _english_long_date),
}
_LENGTHS = {"full", "long", "medium", "short"}
# A pattern's pieces: a quoted literal ('de', '' for a quote), a run of one field letter,
# or anything else (literal as it is).
_PIECE = re.compile(r"'((?:[^']|'')*)'|([A-Za-z])\2*|[^'A-Za-z]+")


def day_text(moment, form="day"):
    """moment's day (a date, or a datetime already in the zone it is read in) in form (see
    FORMS) as the page's language, or the email's, writes it."""
    locale = current_locale()
    skeleton, english = FORMS[form]
    if locale is None or locale.language == "en":
        return english(moment)
    return _formatter(str(locale), skeleton)(moment)


@functools.cache
def _formatter(code, skeleton):
    locale = Locale.parse(code)
    if skeleton in _LENGTHS:
        pattern = get_date_format(skeleton, locale).pattern
    else:
        pattern = locale.datetime_skeletons.get(skeleton)
        pattern = pattern.pattern if pattern is not None else None
    pieces = _pieces(pattern, locale) if pattern else None
    if pieces is None:
        # A field this module does not know: Babel's own, at Babel's speed.
        return lambda moment: format_skeleton(skeleton, moment, locale=locale)

    def join(moment):
        return "".join(piece if isinstance(piece, str) else piece(moment) for piece in pieces)

    return join


def _pieces(pattern, locale):
    """The pattern as literals and field functions, or None if it has a field not handled."""
    pieces = []
    for match in _PIECE.finditer(pattern):
        quoted, letter = match.group(1), match.group(2)
        if quoted is not None:
            pieces.append(quoted.replace("''", "'") or "'")
        elif letter is None:
            pieces.append(match.group(0))
        else:
            field = _field(letter, len(match.group(0)), locale)
            if field is None:
                return None
            pieces.append(field)
    return pieces


def _field(letter, width, locale):
    """A function of a date giving one field of CLDR's date pattern language."""
    if letter in "Ec":
        context = "format" if letter == "E" else "stand-alone"
        names = locale.days[context]["wide" if width == 4 else "abbreviated"]
        return lambda moment: names[moment.weekday()]
    if letter in "ML":
        if width <= 2:
            return lambda moment: f"{moment.month:0{width}d}"
        context = "format" if letter == "M" else "stand-alone"
        names = locale.months[context]["wide" if width == 4 else "abbreviated"]
        return lambda moment: names[moment.month]
    if letter == "d":
        return lambda moment: f"{moment.day:0{width}d}"
    if letter == "y":
        if width == 2:
            return lambda moment: f"{moment.year % 100:02d}"
        return lambda moment: f"{moment.year:0{width}d}"
    return None
