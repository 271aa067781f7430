"""The benchmark's baseline page and query counter exist only when their variables ask; a
page the bench reaches by a link loads that link's address."""

import pytest

from benchmarks.pages import PAGES
from tests.groups.factories import make_group
from tests.support.other_apps import app_like
from webapp.operations.bench import QUERY_COUNT_HEADER

SWITCHES = ("HEARTH_BENCH_BASELINE", "HEARTH_BENCH_COUNT_QUERIES")


@pytest.fixture
def no_switches(monkeypatch):
    for name in SWITCHES:
        monkeypatch.delenv(name, raising=False)


def test_without_the_variables_there_is_no_baseline_page_and_no_count(app, no_switches):
    with app_like(app) as plain:
        response = plain.test_client().get("/_bench/baseline")
        assert response.status_code == 404
        assert plain.test_client().get("/_stack/").status_code == 404
        assert QUERY_COUNT_HEADER not in plain.test_client().get("/").headers


@pytest.mark.parametrize("value", ["0", ""])
def test_a_variable_set_to_no_mounts_nothing(app, monkeypatch, value):
    for name in SWITCHES:
        monkeypatch.setenv(name, value)
    with app_like(app) as plain:
        response = plain.test_client().get("/_bench/baseline")
        assert response.status_code == 404
        assert QUERY_COUNT_HEADER not in response.headers


def test_the_baseline_page_lists_twenty_groups_in_the_site_layout(
    app, user, no_switches, monkeypatch
):
    monkeypatch.setenv("HEARTH_BENCH_BASELINE", "1")
    with app.app_context():
        names = [make_group(user, name=f"Baseline group {n:02}").name for n in range(25)]
    with app_like(app) as bench:
        response = bench.test_client().get("/_bench/baseline")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<nav" in page and 'aria-label="Main"' in page  # the layout of every page
    assert [name for name in names if name in page] == names[:20]
    assert QUERY_COUNT_HEADER not in response.headers


def test_the_stack_baseline_is_the_same_page_with_none_of_hearths_work(
    app, user, no_switches, monkeypatch
):
    monkeypatch.setenv("HEARTH_BENCH_BASELINE", "1")
    with app.app_context():
        names = [make_group(user, name=f"Stack group {n:02}").name for n in range(25)]
    with app_like(app) as bench:
        client = bench.test_client()
        stack = client.get("/_stack/")
        hearth = client.get("/_bench/baseline")
    assert stack.status_code == 200
    page = stack.get_data(as_text=True)
    assert [name for name in names if name in page] == names[:20]
    # Of about the same size, without Hearth's session, headers and request id.
    assert 0.7 < len(stack.data) / len(hearth.data) < 1.3
    assert "Set-Cookie" not in stack.headers
    assert "Content-Security-Policy" in hearth.headers
    assert "Content-Security-Policy" not in stack.headers
    assert "X-Request-ID" not in stack.headers


def test_the_counter_reports_the_statements_of_each_request(app, no_switches, monkeypatch):
    monkeypatch.setenv("HEARTH_BENCH_BASELINE", "1")
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as bench:
        client = bench.test_client()
        # The baseline page runs exactly one query; the login page of a visitor none (the
        # home page reads the upcoming public events since issue 8).
        assert client.get("/_bench/baseline").headers[QUERY_COUNT_HEADER] == "1"
        assert client.get("/_stack/").headers[QUERY_COUNT_HEADER] == "1"
        assert client.get("/login").headers[QUERY_COUNT_HEADER] == "0"
        assert client.get("/_bench/baseline").headers[QUERY_COUNT_HEADER] == "1"
        assert client.get("/_stack/").headers[QUERY_COUNT_HEADER] == "1"


def test_settings_given_to_create_app_win_over_the_environment(app, monkeypatch):
    monkeypatch.setenv("HEARTH_BENCH_BASELINE", "1")
    with app_like(app, HEARTH_BENCH_BASELINE=False) as plain:
        assert plain.test_client().get("/_bench/baseline").status_code == 404


def test_a_page_by_next_loads_the_next_links_address_or_itself_without_one():
    """The bench's page 200 "by Next" is the address page 199's Next link names; where
    page 199 is the last (scale 1), there is no link, and page 200 is loaded as typed."""
    page = next(page for page in PAGES if page.next_of)
    link = '<a href="/events?page=200&amp;after=2027-01-01T00:00:00Z~7" rel="next">Next</a>'
    assert (
        page.next_address(f"<nav>{link}</nav>") == "/events?page=200&after=2027-01-01T00:00:00Z~7"
    )
    assert page.next_address('<nav><a href="/events?page=198" rel="prev">Previous</a></nav>') == (
        page.path
    )
