"""Building messages: bodies rendered now, into the outbox row of this transaction (or, for
webapp.outbox.rendering's kinds, by the worker that delivers the row)."""

from flask import current_app, has_request_context, render_template, request, url_for

from webapp.outbox.services import add_message

# Where links point when no BASE_URL is set and no request names a host (a worker, the CLI).
FALLBACK_BASE_URL = "http://localhost:5000"


def base_url():
    """BASE_URL; in development without it, the address this request came to."""
    configured = current_app.config["BASE_URL"]
    if configured:
        return configured
    if has_request_context():
        # The address the browser used, so the link opens in the same cookie jar.
        return request.host_url.rstrip("/")
    return FALLBACK_BASE_URL


def absolute_url(endpoint, **values):
    """A link for an email, on the public address of the app."""
    return base_url() + url_for(endpoint, **values)


def render_bodies(template, **context):
    """The text and HTML bodies of email/template."""
    context.setdefault("base_url", base_url())
    return (
        render_template(f"email/{template}.txt", **context),
        render_template(f"email/{template}.html", **context),
    )


def send_template(to, subject, template, **context):
    """Render the bodies now; the outbox delivers them once the transaction commits."""
    text_body, html_body = render_bodies(template, **context)
    return add_message(
        kind=template, recipient=to, subject=subject, text_body=text_body, html_body=html_body
    )
