"""Building messages: bodies rendered now, into the outbox row of this transaction (or, for
webapp.outbox.rendering's kinds, by the worker that delivers the row).

A message is written in its recipient's language, never in that of the person whose
action sent it: the caller names it (webapp.web.languages.language_of(user)), and the
subject (a lazy string, or plain text) and the bodies are made in it."""

from flask import render_template

from webapp.outbox.services import add_message
from webapp.web.languages import in_language
from webapp.web.public_url import base_url


def render_bodies(template, **context):
    """The text and HTML bodies of email/template, in the language in force (in_language)."""
    context.setdefault("base_url", base_url())
    return (
        render_template(f"email/{template}.txt", **context),
        render_template(f"email/{template}.html", **context),
    )


def in_recipients_language(text, language):
    """text (a lazy_gettext string, or plain text) as the recipient reads it."""
    with in_language(language):
        return str(text)


def send_template(
    to, subject, template, unsubscribe_url=None, language=None, bulk_key=None, **context
):
    """Render the bodies now, in language (None: the site's default, not the sender's);
    the outbox delivers them once the transaction commits (bulk_key: from the bulk queue,
    as one of a send to many). Mail one can turn off names its one-click unsubscribe_url
    (headers and footer); account mail has none."""
    with in_language(language):
        subject = str(subject)
        text_body, html_body = render_bodies(template, unsubscribe_url=unsubscribe_url, **context)
    return add_message(
        kind=template,
        recipient=to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        list_unsubscribe=unsubscribe_url,
        bulk_key=bulk_key,
    )
