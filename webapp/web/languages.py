"""Which language a page or an email is in, and the catalogues that translate it.

A request's language is the member's setting (users.language), else the one chosen in
the footer (a cookie), else the best of the browser's Accept-Language, else
DEFAULT_LANGUAGE. An email is in its recipient's language (their setting, else the
site's default), never in that of the person whose action sent it: in_language wraps
the rendering of a message. Flask-Babel asks select_language (through select_locale)
once per request, when the first string is translated or the layout reads the page's
language; the user is the row Flask-Login has already loaded, so choosing asks the
database nothing.
"""

import contextlib
import logging
from functools import cache
from pathlib import Path
from typing import NamedTuple

from babel import Locale
from babel.lists import format_list
from flask import current_app, has_request_context, request
from flask_babel import _get_current_context, force_locale, get_locale
from flask_login import current_user
from pytz import timezone

from webapp.web.translating import install_template_gettext

log = logging.getLogger("hearth.languages")

# The footer's choice for a visitor, kept for a year; not a secret, read on every page.
LANGUAGE_COOKIE = "hearth_language"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


class PageLanguage(NamedTuple):
    """What <html> says: lang (a BCP 47 tag) and dir."""

    tag: str
    direction: str


def known_language(code):
    """code if Hearth speaks it, else None."""
    return code if code in current_app.config["LANGUAGES"] else None


def default_language():
    return current_app.config["DEFAULT_LANGUAGE"]


def select_language():
    """For Flask-Babel: the language of this request (see the module's docstring)."""
    if not has_request_context():
        return default_language()
    if current_user.is_authenticated:
        setting = known_language(current_user.language)
        if setting:
            return setting
    return visitor_language()


def select_locale():
    """For Flask-Babel: the locale of select_language's choice. Flask-Babel parses a code
    into a Locale afresh on every request, and takes a Locale as it is."""
    return _locale_of(select_language())


@cache
def _locale_of(code):
    # Only the codes of LANGUAGES and DEFAULT_LANGUAGE reach here: a handful.
    return Locale.parse(code)


def visitor_language():
    """The language of someone whose setting is not known: the footer's cookie, else the
    browser's, else the site's."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or default_language()


def select_time_zone():
    """For Flask-Babel's date filters: the viewer's zone, as the lists use (local_time)."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.time_zone
    return "UTC"


def language_of(user):
    """The language mail to user is written in: their setting, else the site's default."""
    return known_language(getattr(user, "language", None)) or default_language()


@contextlib.contextmanager
def in_language(code, time_zone=None):
    """Translate and format in code (the site's default when None or unknown), and dates in
    time_zone when given: around the rendering of a message to someone else."""
    with force_locale(known_language(code) or default_language()):
        if time_zone is None:
            yield
            return
        # Flask-Babel has no force_locale for zones: its per-context cache is set the same way.
        context = _get_current_context()
        before = getattr(context, "babel_tzinfo", None)
        context.babel_tzinfo = timezone(time_zone)
        try:
            yield
        finally:
            context.babel_tzinfo = before


def page_language():
    """The page's lang and dir, from the locale this request reads in."""
    locale = get_locale()
    return PageLanguage(str(locale).replace("_", "-"), locale.text_direction)


@cache
def _names(codes):
    return tuple((code, language_name(code)) for code in codes)


def language_name(code):
    """A language's name in itself, as a person choosing it looks for it: "Español"."""
    name = Locale.parse(code).get_display_name(code)
    return name[:1].upper() + name[1:]


def language_choices():
    """(code, name in itself) of each language Hearth speaks, in the configured order."""
    return _names(tuple(current_app.config["LANGUAGES"]))


def list_text(items, style="standard"):
    """A list as the page's language says it: "a, b and c", "a, b y c"."""
    return format_list(list(items), style=style, locale=get_locale())


def missing_catalogues(app):
    """The compiled catalogues (.mo) of app's languages that are not there to load."""
    directory = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    # English is the source language: its strings need no catalogue.
    return [
        directory / code / "LC_MESSAGES" / "messages.mo"
        for code in app.config["LANGUAGES"]
        if code != "en" and not (directory / code / "LC_MESSAGES" / "messages.mo").is_file()
    ]


def register_languages(app):
    """Bind Flask-Babel with Hearth's choice of language and zone, its template helpers,
    and say (in the log) when a catalogue was never compiled (pages would stay in English)."""
    from webapp.extensions import babel

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_time_zone)
    install_template_gettext(app)
    # A {% trans %} block's line breaks and indentation are the template's layout, not the
    # message: the catalogue (babel.cfg's trimmed) and the page both read it as one line.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.add_template_global(page_language)
    app.add_template_global(language_choices)
    app.add_template_filter(list_text, "listformat")
    missing = missing_catalogues(app)
    if missing:
        message = (
            f"{', '.join(str(path) for path in missing)} missing: run `make translations` "
            "(or `pybabel compile -d translations`); until then those languages show English."
        )
        log.error(message)
