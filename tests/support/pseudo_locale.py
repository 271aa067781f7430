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

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

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
    day periods, units of size and of time ("140 bytes", "in 1 hour"). They come from
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


def unmarked_words(text, data=(), allowed=frozenset()):
    """The words of text outside every ⟦ ⟧, once the data strings are taken out."""
    while True:
        text, found = _INNERMOST.subn(" ", text)
        if not found:
            break
    for value in data:
        text = text.replace(value, " ")
    return [word for word in WORD.findall(text) if word not in allowed]
