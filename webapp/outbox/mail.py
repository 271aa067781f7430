"""Building messages: bodies rendered now, into the outbox row of this transaction (or, for
webapp.outbox.rendering's kinds, by the worker that delivers the row)."""

from flask import render_template

from webapp.outbox.services import add_message
from webapp.web.public_url import base_url


def render_bodies(template, **context):
    """The text and HTML bodies of email/template."""
    context.setdefault("base_url", base_url())
    return (
        render_template(f"email/{template}.txt", **context),
        render_template(f"email/{template}.html", **context),
    )


def send_template(to, subject, template, unsubscribe_url=None, **context):
    """Render the bodies now; the outbox delivers them once the transaction commits. Mail
    one can turn off names its one-click unsubscribe_url (headers and footer); account
    mail has none."""
    text_body, html_body = render_bodies(template, unsubscribe_url=unsubscribe_url, **context)
    return add_message(
        kind=template,
        recipient=to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        list_unsubscribe=unsubscribe_url,
    )
