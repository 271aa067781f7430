"""Templates' url_for keeps the addresses that take no values (webapp.web.fixed_addresses):
each must be what url_for builds, under whatever root the app is served."""

import pytest

from webapp.web.fixed_addresses import STATIC_NAMES


def template_url_for(app):
    return app.jinja_env.globals["url_for"]


def endpoints_without_values(app):
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if not rule.arguments})


@pytest.mark.parametrize("root", ["", "/hearth"], ids=["at the root", "under a prefix"])
def test_every_kept_address_is_what_url_for_builds(app, root):
    kept = template_url_for(app)
    static_names = sorted(app.extensions[STATIC_NAMES])
    assert static_names, "the static files' names are known"
    # Twice: the second call answers from what the first kept.
    for _ in range(2):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for endpoint in endpoints_without_values(app):
                assert kept(endpoint) == app.url_for(endpoint), endpoint
                assert kept(endpoint).startswith(f"{root}/"), endpoint
            for name in static_names:
                assert kept("static", filename=name) == app.url_for("static", filename=name)


def test_addresses_with_values_are_built_each_time(app):
    kept = template_url_for(app)
    with app.test_request_context("/groups"):
        for slug in ("walkers", "readers"):
            assert kept("groups.detail", slug=slug) == f"/groups/{slug}"
        assert kept("groups.index", page=2) == app.url_for("groups.index", page=2)
        assert kept("groups.index", _anchor="top") == app.url_for("groups.index", _anchor="top")
        assert kept("groups.index", _external=True) == "http://localhost/groups"
        assert kept(".index") == app.url_for(".index")
        assert kept("static", filename="no/such.css") == "/static/no/such.css"


def test_outside_a_request_it_is_url_for(app):
    """Without a request (a job's email) there is no root to key on: url_for answers, as
    it would (here, without SERVER_NAME, that it cannot)."""
    kept = template_url_for(app)
    with app.app_context(), pytest.raises(RuntimeError, match="SERVER_NAME"):
        kept("groups.index")


def test_no_url_default_reads_the_request(app):
    """A kept address is built once for every request after: a URL default that read the
    request (a language in the path, say) would have it differ between requests, and
    webapp.web.fixed_addresses would have to key on it. The only one gives static files
    their versions, which are fixed for the process."""
    defaults = [
        function.__name__
        for functions in app.url_default_functions.values()
        for function in functions
    ]
    assert defaults == ["versioned_static_url"]
