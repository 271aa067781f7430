"""A pseudo-language that shows which words of a page came from the catalogue.

Every message marked in the code and the templates is extracted afresh (as `make
translations` does, with the Makefile's keywords) and "translated" by wrapping it in
⟦ ⟧, placeholders kept. A page rendered in that language shows each translated string
wrapped; words outside every ⟦ ⟧ that are not the data of the page (names, titles,
addresses a person typed) nor a date's month or weekday were never marked.

The same catalogue serves a right-to-left pseudo-language: a locale whose script runs
right to left (Yiddish: Hearth does not speak it), so that `dir` and the layout flip as
they would for Arabic or Hebrew while the text stays readable in the tests.
"""

import contextlib
import re
import subprocess
import sys
import zoneinfo
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import sqlalchemy as sa
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from webapp.extensions import db
from webapp.web.languages import language_choices

ROOT = Path(__file__).resolve().parents[2]
OPEN, CLOSE = "⟦", "⟧"
PSEUDO, PSEUDO_RTL = "eo", "yi"
_INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
WORD = re.compile(r"[^\W\d_]{2,}")
# Text a person reads in attributes; the rest of them are machinery.
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "hx-confirm"}
_SKIPPED_ELEMENTS = {"script", "style", "template"}


def extraction_keywords():
    """The keywords `make translations` extracts, read from the Makefile so the two agree."""
    return re.findall(r"--keywords (\S+)", (ROOT / "Makefile").read_text())


def extract(output):
    """The catalogue of every marked message in the sources, written to output (a .pot)."""
    command = [sys.executable, "-m", "babel.messages.frontend", "extract"]
    command += ["--mapping-file", "babel.cfg", "--add-comments", "TRANSLATORS:"]
    for keyword in extraction_keywords():
        command += ["--keywords", keyword]
    command += ["--sort-output", "--omit-header", "--output-file", str(output), "."]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    with open(output, "rb") as pot:
        return read_po(pot)


def wrapped(text):
    return f"{OPEN}{text}{CLOSE}"


def write_pseudo_catalogue(template, directory, code):
    """directory/code/LC_MESSAGES/messages.mo: each message of template, wrapped."""
    catalogue = Catalog(locale=code)
    for message in template:
        if not message.id:
            continue
        if message.pluralizable:
            forms = (wrapped(message.id[0]),) + (wrapped(message.id[1]),) * (
                catalogue.num_plurals - 1
            )
            catalogue.add(message.id, forms, context=message.context)
        else:
            catalogue.add(message.id, wrapped(message.id), context=message.context)
    target = directory / code / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "messages.mo", "wb") as mo:
        write_mo(mo, catalogue)


def babel_words(*codes):
    """The words Babel's formats bring, in codes and English: month and weekday names,
    day periods, the words of date patterns, units of size and of time ("140 bytes",
    "in 1 hour"). They come from
    Babel's locale data, not from our catalogue."""
    words = set()
    for code in ("en", *codes):
        locale = Locale.parse(code)
        for names in (locale.months, locale.days, locale.day_periods):
            for context in names.values():
                for width in context.values():
                    words.update(WORD.findall(" ".join(map(str, width.values()))))
        units = locale._data["unit_patterns"]
        for unit in units:
            if unit.startswith(("digital-", "duration-")):
                words.update(WORD.findall(_texts(units[unit])))
        relative = locale._data["date_fields"]
        words.update(WORD.findall(_texts(relative)))
        # The words a date's pattern quotes: "1 de mayo", "la 1-a de majo".
        patterns = [format.pattern for format in locale.date_formats.values()]
        patterns += [skeleton.pattern for skeleton in locale.datetime_skeletons.values()]
        for pattern in patterns:
            words.update(WORD.findall(" ".join(re.findall(r"'([^']+)'", pattern))))
    return words


def _texts(data):
    """Every string in a nest of Babel's locale data."""
    if isinstance(data, str):
        return data
    try:
        return " ".join(_texts(data[key]) for key in data)
    except TypeError:
        return ""


class _TextReader(HTMLParser):
    """The text of a page as one string (the pieces of one message may lie in several
    elements), and the text of its readable attributes, each on its own."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces, self.attributes, self.skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_ELEMENTS:
            self.skipping += 1
        values = dict(attrs)
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.attributes.append(value)
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.attributes.append(values["value"])

    def handle_endtag(self, tag):
        if tag in _SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.pieces.append(data)


def texts_of_html(html):
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return [" ".join(reader.pieces), *reader.attributes]


# The kinds of answer a person reads (texts_read).
READ_BY_PEOPLE = ("text/html", "text/calendar", "text/csv")
# The lines of an iCalendar file that hold text a person reads in their calendar.
CALENDAR_TEXT = ("SUMMARY", "DESCRIPTION", "X-WR-CALNAME", "LOCATION")


def texts_read(response):
    """The text a person reads in a response: a page's (its text and readable attributes),
    a calendar's names and descriptions, a spreadsheet's header row. A redirect's body is
    Werkzeug's, for clients that do not follow it; the rest (metrics, JSON, sitemaps, the
    icon) is for programs."""
    kind = response.mimetype
    if response.status_code in range(300, 400) or kind not in READ_BY_PEOPLE:
        return []
    body = response.get_data(as_text=True)
    if kind == "text/html":
        return texts_of_html(body)
    if kind == "text/calendar":
        unfolded = body.replace("\r\n ", "").splitlines()
        return [line.partition(":")[2] for line in unfolded if line.startswith(CALENDAR_TEXT)]
    if kind == "text/csv":
        return body.splitlines()[:1]
    return []


def unmarked_text(response, data, allowed):
    """{word, ...} of the response's text that the catalogue did not give."""
    return {word for text in texts_read(response) for word in unmarked_words(text, data, allowed)}


def unmarked_words(text, data=(), allowed=frozenset()):
    """The words of text outside every ⟦ ⟧, once the data strings are taken out."""
    while True:
        text, found = _INNERMOST.subn(" ", text)
        if not found:
            break
    for value in data:
        text = text.replace(value, " ")
    return [word for word in WORD.findall(text) if word not in allowed]


# Words that are no one's to translate: the brand, a web address's scheme (an example
# in a field), the names of time zones (a person picks theirs from the IANA list as it is
# written) and their abbreviations, and each language's name in itself (the footer's
# switcher, so a person finds theirs whatever the page's language).
NOT_TRANSLATED = {"Hearth", "https"} | {
    word for zone in zoneinfo.available_timezones() for word in WORD.findall(zone)
}


def zone_abbreviations():
    """CET, CEST, EST...: what a time shows after it, in winter and in summer."""
    moments = (datetime(2030, 1, 15, 12), datetime(2030, 7, 15, 12))
    return {
        moment.replace(tzinfo=zoneinfo.ZoneInfo(zone)).tzname()
        for zone in zoneinfo.available_timezones()
        for moment in moments
    }


@contextlib.contextmanager
def speaking_pseudo_languages(app, directory):
    """app speaks the pseudo-languages (their catalogues written to directory) inside the
    block, which gets the words a page may show that are not the catalogue's."""
    template = extract(directory / "messages.pot")
    for code in (PSEUDO, PSEUDO_RTL):
        write_pseudo_catalogue(template, directory, code)
    babel = app.extensions["babel"]
    languages = app.config["LANGUAGES"]
    app.config["LANGUAGES"] = (*languages, PSEUDO, PSEUDO_RTL)
    babel.translation_directories.append(str(directory))
    try:
        with app.app_context():
            names = {word for _code, name in language_choices() for word in WORD.findall(name)}
        yield babel_words(PSEUDO) | zone_abbreviations() | NOT_TRANSLATED | names
    finally:
        babel.translation_directories.remove(str(directory))
        app.config["LANGUAGES"] = languages


def data_strings(app):
    """Every text value in the database, longest first: what people typed shows as it is."""
    values = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, sa.String)]
            if not columns:
                continue
            for row in db.session.execute(sa.select(*columns)):
                values.update(value for value in row if isinstance(value, str) and value.strip())
    # A file's badge is its name's extension, in capitals.
    values |= {value.rpartition(".")[2][:4].upper() for value in values if "." in value}
    return sorted(values, key=len, reverse=True)
