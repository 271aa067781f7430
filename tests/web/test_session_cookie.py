"""The session cookie is sent again only when the session changed (webapp/web/cookie_session.py):
a message shown in the answer that made it leaves the cookie as it was."""

import pytest

from tests.events.rsvp.support import event_with_members
from tests.support.auth import html, login_data

SESSION_COOKIE = "hearth_session"


def sets_session_cookie(response):
    return any(c.startswith(SESSION_COOKIE + "=") for c in response.headers.getlist("Set-Cookie"))


@pytest.fixture
def member_and_event(app):
    with app.app_context():
        setup = event_with_members(1, capacity=5, title="Lantern walk")
    client = app.test_client()
    assert client.submit("/login", login_data(setup.emails[0])).status_code == 303
    return client, f"/events/{setup.event_id}/rsvp"


def test_a_message_shown_in_the_fragment_sends_no_new_session_cookie(member_and_event):
    member, answer_url = member_and_event
    member.get("/")  # the login's welcome is shown there, and so gone from the session
    member.csrf_token()  # the session holds its CSRF token before its cookie is noted
    before = member.get_cookie(SESSION_COOKIE).value
    response = member.submit(answer_url, {"answer": "maybe"}, htmx=True)
    assert "Your answer is saved: maybe." in html(response)
    assert not sets_session_cookie(response)
    assert member.get_cookie(SESSION_COOKIE).value == before
    # The message was told once: the next page does not bring it back.
    assert "Your answer is saved" not in html(member.get("/"))


def test_a_message_carried_to_the_next_page_sends_the_cookie(member_and_event):
    member, answer_url = member_and_event
    response = member.submit(answer_url, {"answer": "maybe"})
    assert response.status_code == 303
    assert sets_session_cookie(response)
    assert "Your answer is saved: maybe." in html(member.get(response.location))


def test_logging_out_sends_the_cookie(member_and_event):
    member, _ = member_and_event
    member.csrf_token()
    before = member.get_cookie(SESSION_COOKIE).value
    response = member.submit("/logout")
    assert sets_session_cookie(response)
    assert member.get_cookie(SESSION_COOKIE).value != before
    assert "/login" in member.get("/settings").location  # asked to log in


def _reopened(app, cookie, change):
    """Open a session from cookie, apply change to it, and save it into a response."""
    interface = app.session_interface
    with app.test_request_context(headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}) as context:
        opened = interface.open_session(app, context.request)
        change(opened)
        response = app.response_class()
        interface.save_session(app, opened, response)
    return response


def _cookie_holding(app, data):
    with app.test_request_context():
        return app.session_interface.get_signing_serializer(app).dumps(data)


def test_a_list_changed_in_place_is_saved(app):
    cookie = _cookie_holding(app, {"seen": [1]})

    def append(opened):
        opened["seen"].append(2)
        opened.modified = True

    assert sets_session_cookie(_reopened(app, cookie, append))


def test_a_value_set_back_to_what_it_was_is_not_sent_again(app):
    cookie = _cookie_holding(app, {"seen": [1]})

    def set_again(opened):
        opened["seen"] = [1]

    assert not sets_session_cookie(_reopened(app, cookie, set_again))


def test_a_permanent_session_is_still_refreshed_on_each_request(app):
    cookie = _cookie_holding(app, {"_permanent": True, "seen": [1]})
    assert sets_session_cookie(_reopened(app, cookie, lambda opened: None))


def test_a_session_opened_from_a_forged_cookie_is_written_afresh(app):
    def write(opened):
        opened["seen"] = [1]

    assert sets_session_cookie(_reopened(app, "forged.cookie.value", write))
