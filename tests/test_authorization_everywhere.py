"""Who may do what, across the whole app.

Every route of the URL map has a row in a feature's who-may-do-what table (the
tests/test_*_authorization.py modules, each run over every role), or belongs to nobody's
object and is listed here with the reason: a route added tomorrow without a row fails.
And a member an admin deactivated (one who co-hosts an event too), still holding their
cookie and their form token, gets what a visitor gets from every route by every method,
and changes nothing.
"""

import importlib
import pkgutil

import pytest

import tests
from tests.accounts.factories import make_user
from tests.support import every_table
from tests.support.crawl import SAFE, crawl, path, request, routes
from webapp.accounts.models import User
from webapp.admin.services import deactivate_user
from webapp.extensions import db

# Routes on nobody's object, by endpoint prefix, and why no feature table holds them.
OWN_ROUTES = {
    "auth.": "the ways in (sign up, log in, reset): open to all by design, "
    "tested in tests/test_auth_*.py with their rate limits",
    "accounts.": "the logged-in person's own account (login required, checked below); "
    "an emailed link names its own token",
    "health.": "probes for load balancers; /metrics answers this machine or a token "
    "holder only (tests/operations/test_metrics.py)",
    "main.home": "the home page, everyone's own view (tests/test_first_visit*.py)",
    "main.language": "the footer's choice of language, anyone's own (a cookie, and a "
    "member's own setting): tests/main/test_language.py",
    "static": "our CSS and scripts",
    "open_web.robots_txt": "robots.txt, the same for everyone by design",
    "open_web.sitemap_index": "the sitemaps (index and pages): the same for everyone by design; "
    "that they name public groups and events alone is tests/open_web/test_search_engines.py",
    "open_web.groups_sitemap": "as the sitemap's index",
    "open_web.events_sitemap": "as the sitemap's index",
    "open_web.favicon": "the icon",
}


def feature_tables():
    """{(endpoint, method)} of every feature's authorization table."""
    rows = set()
    for module in pkgutil.walk_packages(tests.__path__, prefix="tests."):
        if module.name.rsplit(".", 1)[-1].endswith("authorization"):
            found = importlib.import_module(module.name)
            rows |= set(getattr(found, "TABLE", ()))
    return rows


def test_every_route_has_a_row_in_a_table_or_a_reason_here(app):
    tabled = feature_tables()
    assert len(tabled) > 50, "the feature tables were not found"
    missing = [
        f"{method} {rule.endpoint} ({rule.rule})"
        for rule, method in routes(app)
        if (rule.endpoint, method) not in tabled and not rule.endpoint.startswith(tuple(OWN_ROUTES))
    ]
    assert not missing, "routes without a row in any authorization table:\n" + "\n".join(missing)


def test_own_account_pages_ask_a_visitor_to_log_in(app, client, world):
    pages = [
        (rule, method)
        for rule, method in routes(app)
        if rule.endpoint.startswith("accounts.")
        and method == "GET"
        and "token" not in rule.arguments
    ]
    assert pages
    for rule, _ in pages:
        # A live part without htmx sends one to its page first, which asks to log in.
        answer = client.get(path(rule, world), follow_redirects=True)
        assert answer.request.path == "/login", rule.rule


def answers(client, app, world, token, method_filter):
    """{"METHOD url": (status, redirect)} for every route of the crawl (a series date's
    edit page, "This date and every later one" in the form, as well as a one-off's)."""
    return {
        f"{method} {url}": (
            (response := request(client, method, url, token, world.form_data())).status_code,
            response.headers.get("Location", "").split("?", 1)[0],
        )
        for rule, method, url in crawl(app, world)
        if method_filter(rule, method)
    }


@pytest.fixture(params=["member@example.org", "cohost@example.org"], ids=["member", "cohost"])
def deactivated(request, app, auth, client, world):
    """The group's member (or the member co-hosting its event), logged in with a form
    token, then deactivated by a site admin."""
    assert auth.login(request.param).status_code == 303
    token = client.csrf_token()
    with app.app_context():
        admin = make_user(email="admin@example.org", is_site_admin=True)
        member = db.session.scalar(db.select(User).where(User.email == request.param))
        deactivate_user(admin, member)
        db.session.commit()
    return token


def test_a_deactivated_member_gets_what_a_visitor_gets_everywhere(app, client, world, deactivated):
    # The ways in stay open to anyone; a deactivated account's login is refused with its
    # reason (tests/admin/test_users.py). Everything else is compared.
    # A guest's confirmation link works once, and the visitor's pass uses it: whoever holds
    # it may follow it (events/guest_answers/test_authorization.py), logged in or not.
    def compared(rule, method):
        return not rule.endpoint.startswith(("auth.", "events.guest_answers.confirm"))

    visitor = app.test_client()
    as_visitor = answers(visitor, app, world, visitor.csrf_token(), compared)
    before = every_table.rows(app)
    # Both come from one address: the visitor's requests must not use up the budget of
    # the limits that count anonymous requests by address.
    app.extensions["hearth_limiter"].reset()

    as_deactivated = answers(client, app, world, deactivated, compared)

    assert as_deactivated, "the crawl found no route"
    differ = {
        route: (got, as_visitor[route])
        for route, got in as_deactivated.items()
        if got != as_visitor[route]
    }
    assert not differ, f"deactivated (status, redirect) vs a visitor's: {differ}"
    assert every_table.rows(app) == before
    unsafe = [route for route in as_deactivated if route.split()[0] not in SAFE]
    assert unsafe, "no state-changing route was tried"
