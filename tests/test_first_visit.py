"""A first visit: confirming in the signing-up browser logs in; greetings; time zone; pages."""

import re

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import make_group, make_invitation
from tests.support.auth import (
    find_user,
    html,
    input_tag,
    is_logged_in,
    login_data,
    signup_data,
)
from webapp.accounts.models import User
from webapp.extensions import db

EMAIL = "ann@example.org"


def sign_up(client, mailbox, **overrides):
    assert client.submit("/signup", signup_data(email=EMAIL, **overrides)).status_code == 303
    return mailbox.link(EMAIL)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_confirming_in_the_browser_that_signed_up_logs_in(app, client, mailbox, htmx):
    link = sign_up(client, mailbox, first_name="Ann")

    response = client.submit(link, htmx=htmx)

    landing = response.headers["HX-Redirect"] if htmx else response.location
    assert landing == "/"
    assert is_logged_in(client)
    home = html(client.get("/"))
    assert "Welcome to Hearth, Ann!" in home or "<h1>Welcome, Ann</h1>" in home
    assert find_user(app, EMAIL).email_verified_at is not None


def test_confirming_in_another_browser_asks_to_log_in(app, client, mailbox):
    link = sign_up(client, mailbox)
    other = app.test_client()

    response = other.submit(link)

    assert response.location == "/login"
    assert not is_logged_in(other)
    assert not is_logged_in(client)


def test_a_browser_that_only_asked_for_a_resend_is_not_logged_in(app, client, mailbox):
    """Anyone can ask to resend a link for any address: that must not make the link a login."""
    sign_up(app.test_client(), mailbox)
    stranger = app.test_client()
    assert stranger.submit("/verify/resend", {"email": EMAIL}).status_code == 303

    response = stranger.submit(mailbox.link(EMAIL))

    assert response.location == "/login"
    assert not is_logged_in(stranger)


def test_a_deactivated_account_is_not_logged_in_by_confirming(app, client, mailbox):
    link = sign_up(client, mailbox)
    with app.app_context():
        db.session.execute(sa.update(User).where(User.email == EMAIL).values(active=False))
        db.session.commit()

    assert client.submit(link).location == "/login"
    assert not is_logged_in(client)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_invited_newcomer_lands_on_the_group_page_joined(app, client, mailbox, htmx):
    with app.app_context():
        owner = make_user()
        group = make_group(owner, name="Night Walkers", join_policy="invitation")
        make_invitation(group, EMAIL, inviter=owner)
        slug = group.slug
    link = sign_up(client, mailbox)  # the invitation itself was not mailed: this is the link

    response = client.submit(link, htmx=htmx)

    assert (response.headers["HX-Redirect"] if htmx else response.location) == f"/groups/{slug}"
    page = html(client.get(f"/groups/{slug}"))
    assert "You are a member of this group." in page


def test_the_greeting_says_welcome_first_and_welcome_back_after(app, client, auth):
    with app.app_context():
        make_user(email="mia@example.org", first_name="Mia")

    first = auth.login("mia@example.org")
    assert first.status_code == 303
    assert "<h1>Welcome, Mia</h1>" in html(client.get("/"))
    auth.logout()

    auth.login("mia@example.org")
    home = html(client.get("/"))
    assert "<h1>Welcome back, Mia</h1>" in home
    assert "Welcome back, Mia." in home or "Welcome back, Mia" in home


def test_sign_up_keeps_the_time_zone_the_browser_reports(app, client):
    data = signup_data(email=EMAIL, time_zone="Europe/Lisbon")
    assert client.submit("/signup", data).status_code == 303
    assert find_user(app, EMAIL).time_zone == "Europe/Lisbon"


@pytest.mark.parametrize("sent", [None, "", "Mars/Olympus_Mons", "EST5EDT", "../etc/passwd"])
def test_sign_up_without_a_known_time_zone_keeps_utc(app, client, sent):
    data = signup_data(email=EMAIL)
    if sent is not None:
        data["time_zone"] = sent
    assert client.submit("/signup", data).status_code == 303
    assert find_user(app, EMAIL).time_zone == "UTC"


def test_the_sign_up_form_carries_a_time_zone_field_for_the_script(client):
    tag = input_tag(client.get("/signup"), "time_zone")
    assert 'type="hidden"' in tag and "data-detect-time-zone" in tag


def test_the_settings_password_field_is_labelled_new_password(client, auth, user):
    auth.login(user.email)
    page = html(client.get("/settings"))
    assert re.search(r'<label for="password-password">\s*New password\s*</label>', page) or (
        '<label for="password">New password</label>' in page
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_start_a_group_keeps_its_action_and_button_after_errors(client, auth, user, htmx):
    auth.login(user.email)

    response = client.submit("/groups/new", {"name": ""}, htmx=htmx)

    assert response.status_code == 422
    body = html(response)
    assert 'action="/groups/new"' in body and 'hx-post="/groups/new"' in body
    assert "Create the group</button>" in body
    assert ">Save</button>" not in body
    if not htmx:
        assert "<h1>Start a group</h1>" in body


def test_the_page_has_a_skip_link_and_marks_where_we_are(client):
    page = html(client.get("/groups"))
    assert '<a href="#main" class="skip-link">Skip to main content</a>' in page
    assert 'id="main"' in page
    assert re.search(r'<a href="/groups" aria-current="page">Groups</a>', page)
    assert 'aria-current="page">Log in' not in page


def test_the_home_page_promises_only_what_exists(client, auth, user):
    for body in (html(client.get("/")), (auth.login(user.email), html(client.get("/")))[1]):
        # Events (issue 8) and polls (issue 9) exist now; the rest not yet.
        for missing in ("task", "RSVP", "files"):
            assert missing not in body.split("<main", 1)[1], missing


def test_the_login_form_still_greets_returning_members(app, client):
    with app.app_context():
        make_user(email="leo@example.org", first_name="Leo")
    other = app.test_client()
    other.submit("/login", login_data("leo@example.org"))

    client.submit("/login", login_data("leo@example.org"))  # logged in elsewhere already
    assert "<h1>Welcome back, Leo</h1>" in html(client.get("/"))


def test_someone_else_logging_in_on_the_same_browser_is_welcomed_as_new(app, client, auth):
    with app.app_context():
        make_user(email="pat@example.org", first_name="Pat")
        make_user(email="june@example.org", first_name="June")
    auth.login("pat@example.org")
    auth.logout()

    auth.login("june@example.org")

    assert "<h1>Welcome, June</h1>" in html(client.get("/"))
    assert "june@example.org" not in (client.get_cookie("hearth_returning").value or "")
