"""The footer's choice of language, without JavaScript: a visitor's cookie (through the
languages' page, since a visitor who only looks has no form token), a member's setting,
and the way back to the page it was chosen on, never to another site."""

import re

import pytest

from tests.support.auth import login_data
from tests.support.html_checks import field_error
from tests.support.members import new_member, stored
from webapp.web.languages import LANGUAGE_COOKIE

pytestmark = pytest.mark.postgres


def lang_of(response):
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def form_token(html):
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def language_cookie(response):
    found = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith(LANGUAGE_COOKIE + "=")
    ]
    return found[0] if found else None


def test_a_visitor_switches_to_spanish_and_comes_back_to_the_same_page(client):
    page = client.get("/events?page=1")
    html = page.get_data(as_text=True)
    assert lang_of(page) == "en"
    # Only looking: no session, so the footer links to the languages' page.
    assert not page.headers.getlist("Set-Cookie")
    assert '<a href="/language?next=/events?page%3D1" lang="es" hreflang="es">Español</a>' in html

    chooser = client.get("/language?next=/events?page%3D1")
    assert chooser.status_code == 200
    chooser_html = chooser.get_data(as_text=True)
    assert 'name="next" value="/events?page=1"' in chooser_html

    chosen = client.post(
        "/language",
        data={
            "csrf_token": form_token(chooser_html),
            "language": "es",
            "next": "/events?page=1",
        },
    )
    assert chosen.status_code == 303
    assert chosen.location == "/events?page=1"
    cookie = language_cookie(chosen)
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=es;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    after = client.get(chosen.location)
    assert lang_of(after) == "es"
    assert ">Eventos</a>" in after.get_data(as_text=True)


@pytest.mark.parametrize(
    "next_page",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_way_back_never_leaves_the_site(client, next_page):
    response = client.submit("/language", {"language": "es", "next": next_page})
    assert response.status_code == 303
    assert response.location == "/"
    assert language_cookie(response).startswith(f"{LANGUAGE_COOKIE}=es;")


def test_a_member_switches_from_the_footer_and_it_becomes_their_setting(app, client):
    member = new_member(app, language="en")
    assert client.submit("/login", login_data(member.email)).status_code == 303
    page = client.get("/settings").get_data(as_text=True)
    # With a session, the footer holds the form itself: one button per language.
    footer = page[page.index('<footer class="container site-footer">') :]
    assert 'action="/language"' in footer
    assert '<input type="hidden" name="next" value="/settings">' in footer
    assert 'value="es" lang="es"' in footer

    response = client.submit("/language", {"language": "es", "next": "/settings"})
    assert response.status_code == 303
    assert response.location == "/settings"
    assert stored(app, member.id).language == "es"
    assert lang_of(client.get("/settings")) == "es"
    # The setting wins over the cookie on another device, which has none.
    other_device = app.test_client()
    assert other_device.submit("/login", login_data(member.email)).status_code == 303
    assert lang_of(other_device.get("/")) == "es"


@pytest.mark.parametrize("language", ["fr", "", "x" * 300])
def test_an_unknown_language_is_422_with_a_message_and_changes_nothing(app, client, language):
    member = new_member(app, language="en")
    assert client.submit("/login", login_data(member.email)).status_code == 303
    response = client.submit("/language", {"language": language, "next": "/events"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "language") == "Choose one of the languages offered."
    assert language_cookie(response) is None
    assert stored(app, member.id).language == "en"


def test_the_languages_page_names_each_language_in_itself(client):
    html = client.get("/language").get_data(as_text=True)
    assert ">English</button>" in html and ">Español</button>" in html
    assert 'aria-pressed="true">English' in html
