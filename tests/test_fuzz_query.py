"""Every query parameter the app reads, fuzzed on every GET route as each kind of person:
only 2xx, 3xx or 4xx, our markup never comes back unescaped, and a redirect never leaves
the site.

The parameters are found in the source (request.args in webapp/ and templates/, and the
names pagination reads): one the app reads without a strategy here fails
test_every_query_parameter_has_a_strategy. Hypothesis is derandomized, so CI sees the
same examples every run.
"""

import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Auth
from tests.support.crawl import path
from tests.support.fuzz import (
    HOSTILE,
    MARKUP,
    NASTY,
    examples,
    get,
    get_routes,
    role_clients,
    unsafe_output,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = examples(6)
NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["1", "2", "0", "-1", "2147483648", "1_0", " 2", "٣", "1e3", "9" * 5000]),
    HOSTILE,
)
NEXT = st.sampled_from(
    [
        "/groups",
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:hearthFuzz(7)",
        "\\\\evil.example",
        "/%2F%2Fevil.example",
        " //evil.example",
        "http:evil.example",
    ]
)
KEYS = st.one_of(
    st.sampled_from(
        ["2026-01-01T00:00Z~1", "9999-12-31T23:59:59Z~2147483647", "Group~1", "~", "a~b~c"]
    ),
    HOSTILE,
)
# Each name the app reads, and what a hostile person puts there.
STRATEGIES = {
    "page": NUMBERS,
    "per_page": NUMBERS,
    # The key of the row a page follows or comes before: a time or a name, then an id.
    "after": KEYS,
    "before": KEYS,
    "q": st.one_of(HOSTILE, st.just("Group")),
    "when": st.one_of(st.sampled_from(["past", "upcoming"]), HOSTILE),
    "group": st.one_of(st.sampled_from(["x", "a" * 81]), HOSTILE),
    "scope": st.one_of(st.just("mine"), HOSTILE),
    "kind": st.one_of(st.sampled_from(["choice", "schedule", "slots"]), HOSTILE),
    "v": st.one_of(NUMBERS, st.just("0")),
    "shown": st.one_of(st.sampled_from(["waitlisted", "going", "declined"]), HOSTILE),
    "email": HOSTILE,
    "next": st.one_of(NEXT, HOSTILE),
    # The admin's lists: the outbox by state, and the audit log's filter form.
    "state": st.one_of(st.sampled_from(["pending", "failed", "sent", "discarded"]), HOSTILE),
    "actor": HOSTILE,
    "action": st.one_of(st.sampled_from(["user_deactivated", "event_published"]), HOSTILE),
    "since": st.one_of(st.sampled_from(["2026-01-31", "0001-01-01", "9999-12-31"]), HOSTILE),
    "until": st.one_of(st.sampled_from(["2026-02-30", "1970-01-01"]), HOSTILE),
    # An embedded list's look (webapp.open_web.embeds).
    "theme": st.one_of(st.sampled_from(["light", "dark", "system"]), HOSTILE),
}
# Names no view asks for but that a view handing request.args on (to url_for, say) must
# not trip over: url_for's own keywords and the route's arguments.
STRANGERS = st.sampled_from(
    ["_external", "_scheme", "_anchor", "_method", "event_id", "slug", "token", "endpoint"]
)
# request.args read other than by a literal name, each with the reason it is covered.
INDIRECT_READS = {
    # bounded_arg("page"/"per_page") reads request.args.get(name): the names are found
    # from bounded_arg's call sites.
    "webapp/web/pagination.py": "request.args.get(name",
    # The NUL guard reads every name and value; every strategy here is run through it.
    "webapp/web/hooks.py": "fields = [request.args]",
    # The admin's search and audit filters are forms read from the query string: their
    # fields (q, actor, action, group, since, until) have strategies above.
    "webapp/admin/forms.py": "formdata=request.args",
    # The pager keeps those filters as they came: the same names.
    "webapp/admin/views.py": "request.args.items()",
    # Only whether any filter is set, for the empty list's wording.
    "templates/admin/_audit.html": "{% if request.args %}",
    # A group's old address moves to its new one with the query it came with: the names
    # of KEPT_ARGUMENTS (q, theme), which have strategies above.
    "webapp/open_web/access.py": "request.args.get(name)",
}
LITERAL_READ = re.compile(r"""(?:request\.args\.get|bounded_arg)\(\s*["']([^"']+)["']""")


def source_files():
    for folder, pattern in (("webapp", "*.py"), ("templates", "*.html")):
        yield from sorted((ROOT / folder).rglob(pattern))


def names_read():
    names, unexplained = set(), []
    for file in source_files():
        text = file.read_text()
        names.update(LITERAL_READ.findall(text))
        relative = str(file.relative_to(ROOT))
        for line in text.splitlines():
            literal = LITERAL_READ.search(line)
            explained = INDIRECT_READS.get(relative, "\0") in line
            if "request.args" in line and not literal and not explained:
                unexplained.append(f"{relative}: {line.strip()}")
    return names, unexplained


def test_every_query_parameter_has_a_strategy():
    names, unexplained = names_read()

    assert {"page", "per_page", "q", "next"} <= names, "the source scan found too little"
    assert not unexplained, "request.args read in a way this test does not know:\n" + "\n".join(
        unexplained
    )
    assert names <= set(STRATEGIES), (
        f"query parameters without a strategy: {names - set(STRATEGIES)}"
    )


@st.composite
def queries(draw):
    chosen = draw(st.lists(st.sampled_from(sorted(STRATEGIES)), max_size=4, unique=True))
    query = [(name, draw(STRATEGIES[name])) for name in chosen]
    if draw(st.booleans()):
        query.append((draw(STRANGERS), draw(st.one_of(st.just("1"), HOSTILE))))
    return query


def problems(response, url):
    found = unsafe_output(response)
    if response.status_code >= 500:
        found.append(f"{response.status_code}")
    if 300 <= response.status_code < 400:
        target = urlsplit(response.location)
        if target.scheme not in ("", "http", "https") or target.netloc not in ("", "localhost"):
            found.append(f"redirects off the site to {response.location!r}")
    return [f"GET {url[:200]!r}: {what}" for what in found]


def fuzz_route(client, url):
    """Every name at once set to our markup (plain and as htmx), then hypothesis's
    examples; the first failure is raised (hypothesis's shrunk one)."""
    for payload in MARKUP[:2]:
        for htmx in (False, True):
            full = f"{url}?{urlencode(dict.fromkeys(STRATEGIES, payload))}"
            found = problems(get(client, full, htmx=htmx), full)
            assert not found, "\n".join(found)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=queries(), htmx=st.booleans())
    def one(query, htmx):
        full = f"{url}?{urlencode(query)}" if query else url
        found = problems(get(client, full, htmx=htmx), full)
        assert not found, "\n".join(found)

    one()


def assert_queries_break_no_page(app, fuzz_world, roles):
    """Every GET route and extra page of the fuzz world, with fuzzed queries, as each of
    roles: no page breaks."""
    clients = role_clients(app, Auth, roles=roles)
    failures = []
    for role, client in clients.items():
        for url in [path(rule, fuzz_world) for rule in get_routes(app)] + fuzz_world.extra_pages:
            try:
                fuzz_route(client, url)
            except AssertionError as error:
                failures.append(f"as {role}: {str(error).splitlines()[0]}")
    assert not failures, "\n".join(failures)


# The owner's and the admin's pages are in tests/test_fuzz_query_as_managers.py: another
# test process takes them.
@pytest.mark.timeout(examples(300))
def test_query_parameters_never_break_a_page(app, fuzz_world):
    assert_queries_break_no_page(app, fuzz_world, ("visitor", "member"))


def test_the_hostile_values_include_what_the_issue_names():
    """Control on the strategies: NUL, control characters, RTL marks, SQL, far dates."""
    for wanted in ("\x00", "\x1b", "\u202e", "DROP TABLE", "9999-12-31", "0001-01-01"):
        assert any(wanted in value for value in NASTY), wanted


@pytest.mark.parametrize(
    "query",
    ["endpoint=x", "slug=other", "event_id=9", "_external=1&_scheme=javascript", "_anchor=a%00"],
)
def test_an_old_event_address_moves_with_its_query_as_it_came(client, fuzz_world, query):
    """The redirect to an event's readable address handed the query to url_for as
    keywords: "endpoint" or "slug" was a 500, "_scheme" a link to another scheme."""
    event_id = fuzz_world.ids["event_id"]

    response = client.get(f"/events/{event_id}?{query}&when=past")

    if "%00" in query:
        assert response.status_code == 400  # the NUL guard, before any view
        return
    assert response.status_code == 301
    target = urlsplit(response.location)
    assert (target.scheme, target.netloc) in (("", ""), ("http", "localhost"))
    assert target.path.startswith(f"/events/{event_id}-")
    assert target.query == f"{query}&when=past"
