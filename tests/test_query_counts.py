"""SQL statements per request stay the same as the data grows: every page `make bench`
loads, counted by the benchmark's own counter on a seeded database at two sizes."""

import pytest

from benchmarks.pages import PAGES
from tests.seed.test_seed import wipe
from tests.support.other_apps import app_like
from webapp.database import column_stats
from webapp.operations.bench import QUERY_COUNT_HEADER
from webapp.seed import OWNER_EMAIL, SEED_PASSWORD


def statements_per_page(bench_app, scale):
    """Seed at scale, log in as the seeded owner, and count each page's statements."""
    result = bench_app.test_cli_runner().invoke(args=["seed", "--scale", str(scale)])
    assert result.exit_code == 0, result.output
    anonymous, owner = bench_app.test_client(), bench_app.test_client()
    login = owner.submit("/login", {"email": OWNER_EMAIL, "password": SEED_PASSWORD})
    assert login.status_code in (302, 303)
    owner.get("/")  # the welcome flash, shown once
    with bench_app.app_context():
        column_stats.read_all()  # once in ten minutes a process, not per page
    counts = {}
    for page in PAGES:
        client = owner if page.logged_in else anonymous
        headers = {"HX-Request": "true"} if page.htmx else {}
        path = page.path
        if page.live_of:
            path = page.live_address(client.get(page.live_of, headers=headers).text)
            # The seeder writes no live topic: the first poll renders the part and tells
            # Redis its version (benchmarks.load.live_path does the same).
            client.get(path, headers=headers)
        elif page.next_of:
            path = page.next_address(client.get(page.next_of, headers=headers).text)
        response = client.get(path, headers=headers)
        assert response.status_code == page.expect, page.name
        counts[page.name] = int(response.headers[QUERY_COUNT_HEADER])
    return counts


@pytest.mark.timeout(120)
def test_statements_per_page_do_not_grow_with_the_data(app, monkeypatch):
    monkeypatch.setenv("HEARTH_BENCH_BASELINE", "1")
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as bench_app:
        small = statements_per_page(bench_app, 0.01)
        wipe(bench_app)
        # Three times the users and groups, a big group of 900.
        assert statements_per_page(bench_app, 0.03) == small
