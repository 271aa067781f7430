"""The app's public address, for links that leave a request: in emails, calendars, jobs."""

from flask import current_app, has_request_context, request, url_for

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
