"""The one place that decides whether a request gets a whole page or a fragment."""

from flask import make_response, redirect, render_template, request


def wants_fragment():
    """htmx asked for a piece of the page (not a boosted link nor a history restore)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(page_template, fragment_template, status=200, **context):
    """Render page, or only its fragment for htmx; flashed messages ride along out of band."""
    if wants_fragment():
        # One render: the context processors run once for the fragment and its flashes.
        body = render_template("_fragment.html", fragment_template=fragment_template, **context)
    else:
        body = render_template(page_template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


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
