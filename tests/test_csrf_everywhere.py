"""Every route that changes state refuses a request without a CSRF token, and changes nothing.

The routes come from the URL map and name objects that exist (a series date's edit page as
well as a one-off event's), with form data that would change them, as a logged-in owner: a
form that lost its CSRF check fails here.
"""

import pytest

from tests.support import every_table
from tests.support.crawl import SAFE, crawl, request
from tests.support.fuzz import post_forms
from webapp.events.models import Event
from webapp.extensions import db

# The only routes that take a POST without a CSRF token, and why.
EXEMPT = {
    "accounts.unsubscribe": "a mail program's one-click unsubscribe (RFC 8058) sends no "
    "cookie and no token: the signed address is the credential, and it turns off one kind "
    "of mail for one person (tests/events/mail/test_unsubscribe.py)",
}


def unsafe_routes(app, world):
    return [
        (method, url)
        for rule, method, url in crawl(app, world)
        if method not in SAFE and rule.endpoint not in EXEMPT
    ]


def test_only_the_routes_listed_here_are_exempt(app):
    csrf = app.extensions["csrf"]
    exempt = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if f"{view.__module__}.{view.__name__}" in csrf._exempt_views
    }
    assert exempt == set(EXEMPT)
    assert not csrf._exempt_blueprints


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_every_unsafe_route_refuses_a_request_without_a_csrf_token(app, client, auth, world, htmx):
    assert auth.login(world.owner_email).status_code == 303
    before = every_table.rows(app)

    answers = {
        f"{method} {url}": request(
            client, method, url, data=world.form_data(), htmx=htmx
        ).status_code
        for method, url in unsafe_routes(app, world)
    }

    assert answers, "the crawl found no unsafe route"
    refused = {route: status for route, status in answers.items() if status != 400}
    assert not refused, f"answered without a CSRF token: {refused}"
    assert every_table.rows(app) == before


def test_a_token_from_another_session_is_refused_too(app, client, auth, world):
    stranger = app.test_client()
    foreign_token = stranger.csrf_token()
    auth.login(world.owner_email)
    before = every_table.rows(app)

    response = client.post(
        f"/groups/{world.slug}/manage/members/{world.member_id}/role",
        data={"role": "organiser"},
        headers={"X-CSRFToken": foreign_token},
    )

    assert response.status_code == 400
    assert every_table.rows(app) == before


def test_the_same_request_with_a_token_does_change_state(app, client, auth, world):
    """The control: the crawl's data really would change something if the check were off."""
    auth.login(world.owner_email)
    before = every_table.rows(app)

    response = client.submit(
        f"/groups/{world.slug}/manage/members/{world.member_id}/role", world.form_data()
    )

    assert response.status_code == 303
    assert every_table.rows(app) != before


def test_a_series_date_edit_with_a_token_changes_every_later_date(app, client, auth, world):
    """The control for the series date the crawl adds: its edit form as its page fills it,
    with the crawl's data ("This date and every later one"), changes the later date too."""
    auth.login(world.owner_email)
    page = client.get(world.series_date_edit).get_data(as_text=True)
    (form,) = [form for form in post_forms(page, world.series_date_edit) if "title" in form.names()]
    as_filled = {name: value for name, kind, value, _ in form.fields if kind != "radio"}

    response = client.submit(world.series_date_edit, {**as_filled, **world.form_data()})

    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Event, world.later_date_id).description == "Changed"
