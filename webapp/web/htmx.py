"""The one place that decides whether a request gets a whole page or a fragment."""

from flask import (
    current_app,
    get_flashed_messages,
    make_response,
    redirect,
    render_template,
    request,
)


def wants_fragment():
    """htmx asked for a piece of the page (not a boosted link nor a history restore)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(page_template, fragment_template, status=200, fetched_by_page=False, **context):
    """Render page, or only its fragment for htmx; flashed messages ride along out of band.
    fetched_by_page: a POST the page sends by itself (not a person's action), which leaves
    the page's messages as a GET does."""
    if wants_fragment():
        body = _render_fragment(fragment_template, context, fetched_by_page)
    else:
        body = render_template(page_template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def _render_fragment(fragment_template, context, fetched_by_page=False):
    """The fragment, then the flashes out of band, with the context processors run once
    for both (Flask's render_template would run them for each; an include of the one in
    the other passed every piece of the fragment through both templates).

    The answer to an action replaces the page's messages with its own, or clears them:
    they told of what happened before. A fragment the page fetches by itself (a live part
    every few seconds, a search as one types) leaves them on the page unless it has one
    to bring: the results' live part used to wipe "Your vote is saved." three seconds
    after the vote. (Flask keeps the messages it hands out for the rest of the request,
    so the template below gets the same ones.)"""
    app = current_app._get_current_object()
    app.update_template_context(context)
    fragment = app.jinja_env.get_template(fragment_template).render(context)
    by_itself = fetched_by_page or request.method in ("GET", "HEAD")
    if by_itself and not get_flashed_messages():
        return fragment
    return fragment + app.jinja_env.get_template("_flashes.html").render(context, oob=True)


def redirect_to(location):
    """After a successful POST: a plain redirect, or a full navigation for htmx."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, 303)


def render_form(page_template, fragment_template, form, **context):
    """A form page: 200 when shown, 422 when it comes back with errors next to its fields."""
    status = 422 if request.method == "POST" and form.errors else 200
    return render(page_template, fragment_template, status=status, form=form, **context)
