"""Messages rendered by the worker that delivers them, not by the request that writes them.

The row is still written in the request's transaction (sent if and only if what caused it
stands); only its bodies wait. An answer to an event holds the event's lock while it
writes its confirmation, and rendering its templates there was a noticeable share of
the answer's work. A kind's renderer is registered with @renders_when_sent; it gets the
row's kind and render_args and returns (text, html), or a Rendered that also gives the
subject and attachments as they are now, or None when what the message was about is gone.
It renders in the language its writer stored in render_args["language"] (the recipient's:
webapp.web.languages.language_of), or in the site's default when there is none.
"""

from typing import NamedTuple

from webapp.extensions import db
from webapp.web.languages import in_language

_RENDERERS = {}


class Rendered(NamedTuple):
    """What a renderer makes: the bodies, and the subject and attachments when it has them
    (None: the row's own)."""

    text_body: str
    html_body: str
    subject: str | None = None
    attachments: list | None = None


class NothingToSend(Exception):
    """What the message was about is gone (its recipient's account, say)."""


def renders_when_sent(*kinds):
    """Register the decorated function as the renderer of kinds."""

    def register(renderer):
        for kind in kinds:
            _RENDERERS[kind] = renderer
        return renderer

    return register


def render_when_sent(message):
    """Fill in message's bodies if its kind renders them now (message is detached: nothing
    is written back). Raises NothingToSend, or what the renderer raised."""
    if message.render_args is None:
        return
    renderer = _RENDERERS.get(message.kind)
    if renderer is None:
        raise LookupError(f"no renderer for {message.kind!r}")
    try:
        with in_language(message.render_args.get("language")):
            bodies = renderer(message.kind, message.render_args)
    finally:
        # Read only; no transaction stays open while SMTP talks.
        db.session.rollback()
    if bodies is None:
        raise NothingToSend(f"what {message.kind} was about is gone")
    rendered = Rendered(*bodies)
    message.text_body, message.html_body = rendered.text_body, rendered.html_body
    if rendered.subject is not None:
        message.subject = rendered.subject
    if rendered.attachments is not None:
        message.attachments = rendered.attachments
