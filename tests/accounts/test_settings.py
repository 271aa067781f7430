"""Settings: who may see them, page and fragments, and the profile with its appearance."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.html_checks import (
    checked_radio,
    field_error,
    html_element,
    input_value,
    is_checked,
    selected_option,
)
from tests.support.members import new_member, stored

SETTINGS_URLS = ["/settings", "/settings/profile", "/settings/password", "/settings/email"]
SECTION_FORMS = {"profile-form", "password-form", "email-form"}


@pytest.fixture
def member(app):
    return new_member(app, first_name="Ada", last_name="Byron")


@pytest.fixture
def logged_in(auth, member):
    assert auth.login(member.email).status_code == 303
    return member


def profile_data(**changes):
    data = {
        "profile-first_name": "Ada",
        "profile-last_name": "Lovelace",
        "profile-time_zone": "Europe/London",
        "profile-appearance": "system",
        "profile-email_notifications": "y",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def form_ids(html):
    return {form_id for form_id in SECTION_FORMS if f'id="{form_id}"' in html}


@pytest.mark.parametrize("url", SETTINGS_URLS)
def test_anonymous_visitor_is_sent_to_login_with_next(client, url):
    response = client.get(url)
    assert response.status_code == 303
    target = urlsplit(response.location)
    assert target.path == "/login"
    assert parse_qs(target.query) == {"next": [url]}


@pytest.mark.parametrize("url", SETTINGS_URLS)
def test_anonymous_htmx_request_navigates_to_login(client, url):
    response = client.fragment(url)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/login?next=")


def test_anonymous_profile_post_changes_nothing_and_asks_to_log_in(app, client, member):
    response = client.submit("/settings/profile", profile_data(**{"profile-first_name": "Eve"}))
    assert response.status_code == 303
    assert response.location.startswith("/login?next=")
    assert stored(app, member.id).first_name == "Ada"


@pytest.mark.parametrize("url", SETTINGS_URLS)
def test_each_settings_address_is_a_full_page_with_every_section(client, logged_in, url):
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html
    assert form_ids(html) == SECTION_FORMS
    assert "HX-Request" in response.vary


@pytest.mark.parametrize(
    ("url", "form_id"),
    [
        ("/settings", "profile-form"),
        ("/settings/profile", "profile-form"),
        ("/settings/password", "password-form"),
        ("/settings/email", "email-form"),
    ],
)
def test_htmx_request_gets_only_that_sections_form(client, logged_in, url, form_id):
    response = client.fragment(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert form_ids(html) == {form_id}
    assert "HX-Request" in response.vary


def test_boosted_htmx_navigation_gets_the_full_page(client, logged_in):
    response = client.get(
        "/settings/password", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert "<html" in response.get_data(as_text=True)


def test_settings_page_shows_the_stored_profile(client, logged_in):
    html = client.get("/settings").get_data(as_text=True)
    assert input_value(html, "profile-first_name") == "Ada"
    assert input_value(html, "profile-last_name") == "Byron"
    assert selected_option(html, "profile-time_zone") == "UTC"
    assert checked_radio(html, "profile-appearance") == "system"
    assert is_checked(html, "profile-email_notifications")
    assert logged_in.email in html


@pytest.mark.parametrize(
    ("first", "last", "time_zone", "appearance", "notifications"),
    [
        ("Ada", "Lovelace", "Europe/London", "dark", True),
        ("Grace", "Hopper", "America/New_York", "light", False),
        ("Katherine", "Johnson", "UTC", "system", True),
    ],
)
def test_profile_save_stores_every_choice_and_redirects(
    app, client, logged_in, first, last, time_zone, appearance, notifications
):
    data = profile_data(
        **{
            "profile-first_name": first,
            "profile-last_name": last,
            "profile-time_zone": time_zone,
            "profile-appearance": appearance,
            "profile-email_notifications": "y" if notifications else None,
        }
    )
    response = client.submit("/settings/profile", data)
    assert response.status_code == 303
    assert response.location == "/settings#profile"
    user = stored(app, logged_in.id)
    assert (user.first_name, user.last_name, user.time_zone) == (first, last, time_zone)
    assert (user.appearance, user.email_notifications) == (appearance, notifications)
    html = client.get(response.location).get_data(as_text=True)
    assert "Your profile is saved." in html
    assert selected_option(html, "profile-time_zone") == time_zone
    assert is_checked(html, "profile-email_notifications") is notifications


def test_profile_save_trims_spaces_around_names(app, client, logged_in):
    data = profile_data(**{"profile-first_name": "  Ada ", "profile-last_name": " King  "})
    client.submit("/settings/profile", data)
    user = stored(app, logged_in.id)
    assert (user.first_name, user.last_name) == ("Ada", "King")


def test_htmx_profile_save_returns_the_section_and_announces_the_appearance(client, logged_in):
    data = profile_data(**{"profile-appearance": "dark"})
    response = client.submit("/settings/profile", data, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert json.loads(response.headers["HX-Trigger"]) == {"hearth:appearance": "dark"}
    assert "<html" not in html
    assert form_ids(html) == {"profile-form"}
    assert checked_radio(html, "profile-appearance") == "dark"
    assert "Your profile is saved." in html
    assert 'hx-swap-oob="true"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus_Mons", "Not a valid choice"),
        ("time_zone", "", "Choose a time zone."),
        ("first_name", "", "Enter your first name."),
        ("first_name", "   ", "Enter your first name."),
        ("last_name", "", "Enter your last name."),
        ("first_name", "x" * 101, "cannot be longer than 100 characters"),
        ("appearance", "purple", "Not a valid choice"),
        ("appearance", None, "Choose an appearance."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_bad_profile_input_is_422_with_message_by_field_and_typed_values_kept(
    app, client, logged_in, field, value, message, htmx
):
    typed = {
        "profile-first_name": "Typed",
        "profile-last_name": "Name",
        "profile-time_zone": "Asia/Tokyo",
        "profile-appearance": "dark",
    }
    typed[f"profile-{field}"] = value
    response = client.submit("/settings/profile", profile_data(**typed), htmx=htmx)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("<html" in html) is not htmx
    assert "HX-Trigger" not in response.headers
    assert message in field_error(html, f"profile-{field}")
    assert 'aria-invalid="true"' in html
    if field != "first_name":
        assert input_value(html, "profile-first_name") == "Typed"
    if field != "time_zone":
        assert selected_option(html, "profile-time_zone") == "Asia/Tokyo"
    if field != "appearance":
        assert checked_radio(html, "profile-appearance") == "dark"
    user = stored(app, logged_in.id)
    assert (user.first_name, user.time_zone, user.appearance) == ("Ada", "UTC", "system")


@pytest.mark.parametrize(
    ("appearance", "data_theme"), [("dark", "dark"), ("light", "light"), ("system", None)]
)
def test_chosen_appearance_is_applied_on_every_page(client, logged_in, appearance, data_theme):
    client.submit("/settings/profile", profile_data(**{"profile-appearance": appearance}))
    for url in ["/", "/settings", "/settings/email", "/no-such-page"]:
        html = client.get(url).get_data(as_text=True)
        assert html_element(html).get("data-theme") == data_theme, url


def test_visitors_follow_the_system_appearance(client):
    assert "data-theme" not in html_element(client.get("/login").get_data(as_text=True))


@pytest.mark.parametrize("htmx", [False, True])
def test_the_profile_sections_page_of_its_own_shows_what_is_stored(client, logged_in, htmx):
    """GET /settings/profile (the address a refused profile leaves in the bar): the form
    holds the member's own name and choices, never blanks that a save would send."""
    response = client.fragment("/settings/profile") if htmx else client.get("/settings/profile")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert input_value(page, "profile-first_name") == "Ada"
    assert input_value(page, "profile-last_name") == "Byron"
    assert checked_radio(page, "profile-appearance") is not None
