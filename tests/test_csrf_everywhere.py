"""Every route that changes state refuses a request without a CSRF token, and changes nothing.

The routes come from the URL map and name objects that exist, with form data that would
change them, as a logged-in owner: a form that lost its CSRF check fails here.
"""

import pytest

from tests.support.crawl import SAFE, path, request, routes, table_rows

# The only routes that take a POST without a CSRF token, and why.
EXEMPT = {
    "accounts.unsubscribe": "a mail program's one-click unsubscribe (RFC 8058) sends no "
    "cookie and no token: the signed address is the credential, and it turns off one kind "
    "of mail for one person (tests/events/mail/test_unsubscribe.py)",
}


def unsafe_routes(app):
    return [
        (rule, method)
        for rule, method in routes(app)
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
    before = table_rows(app)

    answers = {
        f"{method} {rule.rule}": request(
            client, method, path(rule, world), data=world.form_data(), htmx=htmx
        ).status_code
        for rule, method in unsafe_routes(app)
    }

    assert answers, "the crawl found no unsafe route"
    refused = {route: status for route, status in answers.items() if status != 400}
    assert not refused, f"answered without a CSRF token: {refused}"
    assert table_rows(app) == before


def test_a_token_from_another_session_is_refused_too(app, client, auth, world):
    stranger = app.test_client()
    foreign_token = stranger.csrf_token()
    auth.login(world.owner_email)
    before = table_rows(app)

    response = client.post(
        f"/groups/{world.slug}/manage/members/{world.member_id}/role",
        data={"role": "organiser"},
        headers={"X-CSRFToken": foreign_token},
    )

    assert response.status_code == 400
    assert table_rows(app) == before


def test_the_same_request_with_a_token_does_change_state(app, client, auth, world):
    """The control: the crawl's data really would change something if the check were off."""
    auth.login(world.owner_email)
    before = table_rows(app)

    response = client.submit(
        f"/groups/{world.slug}/manage/members/{world.member_id}/role", world.form_data()
    )

    assert response.status_code == 303
    assert table_rows(app) != before
