"""A NUL byte anywhere in a request is a 400, on every route, before any view runs.

PostgreSQL refuses NUL in text, so before the guard each of these was a 500 there
wherever the text reached a query (a slug, a search, a name in a form).
"""

import pytest

from tests.support.crawl import SAFE, path, request, routes

NUL = "%00"


def nul_requests(rule, method, world):
    """(what, url, form data): a NUL in each path segment, in the query, in a form field."""
    clean = path(rule, world)
    segments = clean.split("/")
    for index in range(1, len(segments)):
        dirty = [*segments[:index], segments[index] + NUL + "x", *segments[index + 1 :]]
        yield f"path segment {index}", "/".join(dirty), None
    if rule.endpoint == "static":
        # Static files are answered in front of the app (webapp/web/static_files.py): the
        # query is never read and no database is asked, so a NUL there is harmless.
        return
    yield "query value", f"{clean}?q=a{NUL}b&page=1", None
    yield "query name", f"{clean}?a{NUL}b=1", None
    if method not in SAFE:
        form = world.form_data()
        yield "form value", clean, {**form, "name": "a\x00b"}
        yield "form name", clean, {**form, "a\x00b": "1"}


def crawl(app, client, world, token):
    answers = []
    for rule, method in routes(app):
        for what, url, data in nul_requests(rule, method, world):
            status = request(client, method, url, token, data).status_code
            if status != 400:
                answers.append(f"{method} {rule.rule} ({what}): {status}")
    return answers


@pytest.mark.parametrize("who", ["member", "visitor"])
def test_a_nul_byte_anywhere_is_a_400_on_every_route(app, client, auth, world, who):
    if who == "member":
        assert auth.login(world.owner_email).status_code == 303
    token = client.csrf_token()

    wrong = crawl(app, client, world, token)

    assert not wrong, "NUL bytes not refused with a 400:\n" + "\n".join(wrong)


def test_the_guard_refuses_before_the_view_with_the_usual_error_page(client, auth, world):
    auth.login(world.owner_email)

    response = client.get(f"/groups/{world.slug}{NUL}")
    fragment = client.fragment(f"/groups?q={NUL}")

    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)
    assert fragment.status_code == 400
    assert fragment.headers["HX-Retarget"] == "#htmx-error"


def test_text_without_nul_still_reaches_the_view(client, world):
    response = client.get("/groups?q=Group")

    assert response.status_code == 200
    assert world.group_name in response.get_data(as_text=True)
