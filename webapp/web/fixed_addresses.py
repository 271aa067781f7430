"""Templates' url_for, with the addresses that are the same on every page built once.

The layout alone names about sixteen addresses on every page (the site's links, the
static files with their versions), and every list links to the same few pages again:
url_for built each one afresh (the blueprint, the URL defaults, the route's builder,
quoting), which cost a page more than its query. An address that takes no values is
fixed for the process: it depends only on the URL map, the static files' versions and
the root the app is served under. Those are kept, per root; any other call (values,
an anchor, _external, a relative ".endpoint") is url_for's own, unchanged.

Only where a request's host cannot change a path: without host or subdomain matching,
url_for in a request gives the path alone, whatever the Host header said.
"""

from functools import lru_cache

from flask import Flask, has_request_context, request

# app.extensions key: the names of the files under static/ (webapp.web.static_files).
STATIC_NAMES = "hearth_static_names"
# Bounded all the same: the root is the request's SCRIPT_NAME, which a server may take
# from a header.
_KEPT = 4096


def register_fixed_addresses(app: Flask):
    """Give app's templates the url_for below; after register_static_files, whose
    versioned names are a URL default."""
    if app.url_map.host_matching or app.subdomain_matching:
        return
    build = app.url_for
    static_names = app.extensions.get(STATIC_NAMES, frozenset())

    @lru_cache(maxsize=_KEPT)
    def fixed(root, endpoint, filename):
        # The root is part of the key: url_for reads it from the request being served.
        return build(endpoint) if filename is None else build(endpoint, filename=filename)

    def url_for(endpoint, /, **values):
        if has_request_context() and endpoint[:1] != ".":
            if not values:
                return fixed(request.script_root, endpoint, None)
            if endpoint == "static" and len(values) == 1 and values.get("filename") in static_names:
                return fixed(request.script_root, endpoint, values["filename"])
        return build(endpoint, **values)

    app.jinja_env.globals["url_for"] = url_for
