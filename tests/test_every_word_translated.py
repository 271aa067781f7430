"""Every word a person reads comes from the catalogue: every page, fragment and form error,
as every kind of person, rendered in a pseudo-language (tests/support/pseudo_locale.py)
that wraps each translated string in ⟦ ⟧. A word outside them that is not the page's data
(what people typed: names, titles, addresses) nor a date's month or weekday was never
marked for translation, and is named here with the page that shows it.
"""

import zoneinfo
from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.conftest import Auth
from tests.support.fuzz import ROLES, crawl_pages, post_forms, role_clients
from tests.support.pseudo_locale import (
    PSEUDO,
    PSEUDO_RTL,
    WORD,
    babel_words,
    extract,
    texts_of_html,
    unmarked_words,
    write_pseudo_catalogue,
)
from webapp.extensions import db
from webapp.web.languages import LANGUAGE_COOKIE, language_choices

# Words that are no one's to translate: the brand, a web address's scheme (an example
# in a field), the names of time zones (a person picks theirs from the IANA list as it is
# written) and their abbreviations, and each language's name in itself (the footer's
# switcher, so a person finds theirs whatever the page's language).
NOT_TRANSLATED = {"Hearth", "https"} | {
    word for zone in zoneinfo.available_timezones() for word in WORD.findall(zone)
}
# The lines of an iCalendar file that hold text a person reads in their calendar.
CALENDAR_TEXT = ("SUMMARY", "DESCRIPTION", "X-WR-CALNAME", "LOCATION")


def zone_abbreviations():
    """CET, CEST, EST...: what a time shows after it, in winter and in summer."""
    moments = (datetime(2030, 1, 15, 12), datetime(2030, 7, 15, 12))
    return {
        moment.replace(tzinfo=zoneinfo.ZoneInfo(zone)).tzname()
        for zone in zoneinfo.available_timezones()
        for moment in moments
    }


@pytest.fixture(scope="module")
def pseudo_languages(app, tmp_path_factory):
    """The app speaks the pseudo-languages while this module runs; the words a page may
    show that are not the catalogue's."""
    directory = tmp_path_factory.mktemp("pseudo")
    template = extract(directory / "messages.pot")
    for code in (PSEUDO, PSEUDO_RTL):
        write_pseudo_catalogue(template, directory, code)
    babel = app.extensions["babel"]
    languages = app.config["LANGUAGES"]
    app.config["LANGUAGES"] = (*languages, PSEUDO, PSEUDO_RTL)
    babel.translation_directories.append(str(directory))
    with app.app_context():
        names = {word for _code, name in language_choices() for word in WORD.findall(name)}
    yield babel_words(PSEUDO) | zone_abbreviations() | NOT_TRANSLATED | names
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


def clients_in(app, code, roles=ROLES):
    """A client per role whose pages are in code from the start (the login's welcome too)."""

    class InLanguage(Auth):
        def login(self, *args, **kwargs):
            self.client.set_cookie(LANGUAGE_COOKIE, code)
            return super().login(*args, **kwargs)

    clients = role_clients(app, InLanguage, roles=roles)
    for client in clients.values():
        client.set_cookie(LANGUAGE_COOKIE, code)
    return clients


def texts_read(response):
    """The text a person reads in a response: a page's (its text and readable attributes),
    a calendar's names and descriptions, a spreadsheet's header row. A redirect's body is
    Werkzeug's, for clients that do not follow it; the rest (metrics, JSON) is for programs."""
    if response.status_code in range(300, 400):
        return []
    body = response.get_data(as_text=True)
    kind = response.mimetype
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


def report(found):
    return "\n".join(
        f"{where}: {' '.join(sorted(words))}" for where, words in sorted(found.items())
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_page_shows_only_catalogue_text(app, fuzz_world, pseudo_languages, htmx):
    clients = clients_in(app, PSEUDO)
    data, allowed = data_strings(app), pseudo_languages
    found = {}

    for _role, url, response in crawl_pages(app, clients, fuzz_world, htmx=htmx):
        words = unmarked_text(response, data, allowed)
        if words:
            found.setdefault(f"{url} ({response.status_code})", set()).update(words)

    assert not found, "text not marked for translation:\n" + report(found)


def test_the_pseudo_language_shows_what_the_catalogue_gave(app, fuzz_world, pseudo_languages):
    """The control: the layout's words come wrapped, and a word not marked is found."""
    client = clients_in(app, PSEUDO, roles=("visitor",))["visitor"]
    page = client.get("/").get_data(as_text=True)

    assert "⟦Log in⟧" in page
    assert f'lang="{PSEUDO}"' in page
    assert unmarked_words("⟦Groups⟧ Unmarked words", ["Unmarked"]) == ["words"]
    assert unmarked_words("⟦Going to ⟦Picnic⟧ today⟧") == []


def test_every_form_error_shows_only_catalogue_text(app, fuzz_world, pseudo_languages):
    """Each form of each page, sent empty: its errors, beside the fields and above them."""
    clients = clients_in(app, PSEUDO, roles=("owner", "admin"))
    data, allowed = data_strings(app), pseudo_languages
    found = {}
    for role, url, page in crawl_pages(app, clients, fuzz_world):
        if page.status_code != 200 or not page.content_type.startswith("text/html"):
            continue
        for form in post_forms(page.get_data(as_text=True), url):
            if "delete" in form.action or "leave" in form.action:
                continue
            fields = {name: "" for name, kind, *_ in form.fields if kind != "hidden"}
            hidden = {name: value for name, kind, value, _ in form.fields if kind == "hidden"}
            response = clients[role].post(form.action, data={**hidden, **fields})
            if response.status_code == 422:
                words = unmarked_text(response, data, allowed)
                if words:
                    found.setdefault(f"POST {form.action} from {url}", set()).update(words)

    assert not found, "form errors not marked for translation:\n" + report(found)
