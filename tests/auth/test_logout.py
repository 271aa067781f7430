"""Logging out: only by POST, and a copy of the old cookies opens nothing afterwards."""

import pytest

from tests.support.auth import (
    create_user,
    html,
    is_logged_in,
    login_data,
)

EMAIL = "member@example.org"


@pytest.fixture
def logged_in(app, client):
    """client, logged in as a member who asked to be remembered."""
    create_user(app, email=EMAIL)
    assert client.submit("/login", login_data(EMAIL, remember="y")).status_code == 303
    return client


def client_with_cookies(app, **cookies):
    """A fresh browser that carries only the given cookies."""
    fresh = app.test_client()
    for name, value in cookies.items():
        fresh.set_cookie(name, value)
    return fresh


def test_logout_ends_the_session_and_redirects_home(logged_in):
    response = logged_in.submit("/logout")

    assert response.status_code == 303
    assert response.location == "/"
    assert not is_logged_in(logged_in)
    assert "You are logged out." in html(logged_in.get("/"))
    assert logged_in.get_cookie("hearth_remember") is None


def test_logout_by_get_is_refused_with_405_and_keeps_the_session(logged_in):
    response = logged_in.get("/logout")

    assert response.status_code == 405
    assert "<html" in html(response)
    assert is_logged_in(logged_in)


def test_logout_when_not_logged_in_just_goes_home(client):
    response = client.submit("/logout")

    assert response.status_code == 303
    assert response.location == "/"


def test_a_copy_of_the_session_cookie_stops_working_after_logout(app, logged_in):
    session_cookie = logged_in.get_cookie("hearth_session").value
    # While the session lives, the copy is as good as the original.
    assert is_logged_in(client_with_cookies(app, hearth_session=session_cookie))

    logged_in.submit("/logout")

    assert not is_logged_in(client_with_cookies(app, hearth_session=session_cookie))


def test_a_copy_of_the_remember_cookie_stops_working_after_logout(app, logged_in):
    remember_cookie = logged_in.get_cookie("hearth_remember").value
    assert is_logged_in(client_with_cookies(app, hearth_remember=remember_cookie))

    logged_in.submit("/logout")

    assert not is_logged_in(client_with_cookies(app, hearth_remember=remember_cookie))


def test_a_copy_of_both_cookies_stops_working_after_logout(app, logged_in):
    copies = {
        name: logged_in.get_cookie(name).value for name in ("hearth_session", "hearth_remember")
    }

    logged_in.submit("/logout")

    assert not is_logged_in(client_with_cookies(app, **copies))


def test_logging_out_one_device_keeps_the_other_logged_in(app, logged_in):
    other = app.test_client()
    other.submit("/login", login_data(EMAIL))

    logged_in.submit("/logout")

    assert not is_logged_in(logged_in)
    assert is_logged_in(other)
