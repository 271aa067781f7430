"""Settings' Language: saved with the profile, each language named in itself, the
browser's as the choice of none, and an unknown one refused beside the field."""

import re

import pytest

from tests.accounts.test_settings import profile_data
from tests.support.auth import login_data
from tests.support.html_checks import field_error, selected_option
from tests.support.members import new_member, stored
from webapp.web.languages import LANGUAGE_COOKIE

pytestmark = pytest.mark.postgres


@pytest.fixture
def member(app, client):
    member = new_member(app, first_name="Ada", last_name="Byron", language=None)
    assert client.submit("/login", login_data(member.email)).status_code == 303
    return member


def lang_of(response):
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_the_field_offers_each_language_in_its_own_name(client, member):
    html = client.get("/settings").get_data(as_text=True)
    options = re.findall(
        r'<option (?:selected )?value="([^"]*)">([^<]*)</option>',
        html[html.index('id="profile-language"') :],
    )[:3]
    assert options == [("", "The language of my browser"), ("en", "English"), ("es", "Español")]
    # None selected: a browser shows (and posts) the first, the browser's language.
    assert selected_option(html, "profile-language") is None


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_choosing_spanish_saves_it_and_shows_settings_in_spanish(app, client, member, htmx):
    # The browser and a cookie say English: the setting wins from now on.
    client.set_cookie(LANGUAGE_COOKIE, "en")
    response = client.submit(
        "/settings/profile",
        profile_data(**{"profile-language": "es"}),
        htmx=htmx,
        headers={"Accept-Language": "en"},
    )
    assert stored(app, member.id).language == "es"
    if htmx:
        assert response.status_code == 200
        # The fragment is already Spanish; the rest of the page reloads to follow.
        assert response.headers["HX-Refresh"] == "true"
        assert "Idioma" in response.get_data(as_text=True)
    else:
        assert response.status_code == 303
    page = client.get("/settings", headers={"Accept-Language": "en"})
    assert lang_of(page) == "es"
    assert selected_option(page.get_data(as_text=True), "profile-language") == "es"


def test_choosing_none_goes_back_to_the_browsers_language(app, client, member):
    client.submit("/settings/profile", profile_data(**{"profile-language": "es"}))
    response = client.submit("/settings/profile", profile_data(**{"profile-language": ""}))
    assert response.status_code == 303
    assert stored(app, member.id).language is None
    assert lang_of(client.get("/", headers={"Accept-Language": "en"})) == "en"


@pytest.mark.parametrize("language", ["fr", "EN", "x" * 300])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_an_unknown_language_is_422_with_a_message_by_the_field(
    app, client, member, language, htmx
):
    response = client.submit(
        "/settings/profile",
        profile_data(**{"profile-language": language, "profile-first_name": "Typed"}),
        htmx=htmx,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "profile-language") == "Choose one of the languages offered."
    user = stored(app, member.id)
    assert (user.language, user.first_name) == (None, "Ada")
