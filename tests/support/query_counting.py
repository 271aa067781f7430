"""Counting the SQL statements of pages, as the benchmark's counter answers them, for the
tests that keep a feature's pages few in statements and the same as the data grows."""

from tests.accounts.factories import DEFAULT_PASSWORD
from webapp.database import column_stats
from webapp.operations.bench import QUERY_COUNT_HEADER


def statements_per_page(counting_app, pages, values):
    """{"name (role)": statements} for each (name, role, path, htmx) of pages, the path's
    {fields} filled from values. Roles: a visitor, and the users member@example.org and
    organiser@example.org (and <role>@example.org for any other role pages name), logged
    in."""
    with counting_app.app_context():
        column_stats.read_all()  # once in ten minutes a process, not per page
    clients = {"visitor": counting_app.test_client()}
    named = {role for _name, role, _path, _htmx in pages} - {"visitor", "member", "organiser"}
    for role in ("member", "organiser", *sorted(named)):
        clients[role] = counting_app.test_client()
        login = clients[role].submit(
            "/login", {"email": f"{role}@example.org", "password": DEFAULT_PASSWORD}
        )
        assert login.status_code == 303
        clients[role].get("/")  # the welcome flash, shown once
    counts = {}
    for name, role, path, htmx in pages:
        response = clients[role].get(
            path.format(**values), headers={"HX-Request": "true"} if htmx else {}
        )
        assert response.status_code == 200, (name, role, response.status_code)
        counts[f"{name} ({role})"] = int(response.headers[QUERY_COUNT_HEADER])
    return counts


def assert_few_and_flat(app, monkeypatch, grow, world, small, big, pages, budget):
    """The statements of each of pages stay at most budget, and the same when the world
    grows from grow(counting_app, world, **small) to grow(counting_app, world, **big)."""
    from tests.support.other_apps import app_like

    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        grow(counting_app, world, **small)
        few = statements_per_page(counting_app, pages, world)
        grow(counting_app, world, **big)
        many = statements_per_page(counting_app, pages, world)
    assert few == many
    over = {page: count for page, count in many.items() if count > budget}
    assert not over, f"over {budget} statements: {over}"


def statements_and_a_members_view(app, monkeypatch, pages, values, path):
    """statements_per_page of pages, and what member@example.org is shown at path (as
    htmx asks for it): the count, and that what was read along is what the page shows."""
    from tests.support.other_apps import app_like

    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        counts = statements_per_page(counting_app, pages, values)
        member = counting_app.test_client()
        member.submit("/login", {"email": "member@example.org", "password": DEFAULT_PASSWORD})
        shown = member.get(path.format(**values), headers={"HX-Request": "true"})
    return counts, shown.get_data(as_text=True)
