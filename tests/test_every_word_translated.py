"""Every word a person reads comes from the catalogue: every page, fragment and form error,
as every kind of person, rendered in a pseudo-language (tests/support/pseudo_locale.py)
that wraps each translated string in ⟦ ⟧. A word outside them that is not the page's data
(what people typed: names, titles, addresses) nor a date's month or weekday was never
marked for translation, and is named here with the page that shows it.
"""

import pytest

from tests.conftest import Auth
from tests.support.fuzz import ROLES, crawl_pages, post_forms, role_clients
from tests.support.pseudo_locale import PSEUDO, data_strings, unmarked_text, unmarked_words
from webapp.web.languages import LANGUAGE_COOKIE


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
