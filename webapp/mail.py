"""Building messages and queueing them; the worker delivers (webapp.jobs.deliver_email)."""

import secrets

from flask import current_app, render_template, url_for

from webapp.jobs import enqueue_after_commit


def absolute_url(endpoint, **values):
    """A link for an email, on BASE_URL, since the worker knows no request host."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def send_template(to, subject, template, **context):
    """Render the bodies now; queue their delivery for when the transaction commits."""
    context.setdefault("base_url", current_app.config["BASE_URL"])
    message = {
        "to": to,
        "subject": subject,
        "text": render_template(f"email/{template}.txt", **context),
        "html": render_template(f"email/{template}.html", **context),
        # Delivery is at least once; the key lets a retried job see it was already sent.
        "idempotency_key": secrets.token_hex(16),
    }
    enqueue_after_commit("webapp.jobs.deliver_email", message)
