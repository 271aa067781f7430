"""A comment as its HTML, rendered once for what it shows.

A comment's HTML is a pure function of its CommentLine (words, author's name, when, edited,
hidden, pinned), of what the viewer may do with it (CommentActions), of the zone the viewer
reads times in, of their language and of the site's addresses. Each web process keeps the
comments it rendered last (as events' cards: webapp.events.cards), so a page of a long
thread renders only the comments that changed since: rendering every comment anew was most
of a thread's page. A changed comment, or a renamed author, is a different line, so no
kept HTML outlives what it shows.

A form in a comment (remove it, hide it, pin it) carries the session's CSRF token, which
no two viewers share: the kept HTML holds a stand-in instead, which each request replaces
with its token. The stand-in holds NUL characters, which no comment's words or author's
name can (forms refuse them), so nothing else in the HTML can be mistaken for it.
"""

import functools
from typing import NamedTuple

from flask import current_app, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from webapp.web.templating import viewer_zone

COMMENTS_KEPT = 2048
CSRF_STAND_IN = "\x00csrf\x00"


class CommentActions(NamedTuple):
    """What the viewer may do with a comment, and where the thread it is in stands: its
    section (which a form's answer replaces) and its size on an event's own page (None
    on the thread's own page), which a form's address carries."""

    reply: bool
    edit: bool
    remove: bool
    report: bool
    moderate: bool
    section_id: str
    per_page: int | None

    @property
    def has_forms(self):
        return self.remove or self.moderate


def _render(line, actions, zone, script_root, language):
    """The macro's output. zone, script_root and language: the request's, which the
    macro reads from it (keys of the kept comments only)."""
    template = current_app.jinja_env.get_template("discussions/_comment.html")
    return template.module.comment(line, actions, CSRF_STAND_IN)


_kept = functools.lru_cache(maxsize=COMMENTS_KEPT)(_render)


class CommentRenderer:
    """Comments as their HTML for the current request's viewer: what every comment's HTML
    is kept by besides its own (zone, addresses, language) is read once, for all of them."""

    def __init__(self):
        # Rendered afresh while templates reload when they change (development), so that
        # an edited template shows.
        self._render = _render if current_app.jinja_env.auto_reload else _kept
        self._request_keys = (viewer_zone(), request.script_root, str(get_locale()))

    def __call__(self, line, actions):
        """line (a CommentLine) as its HTML for a viewer who may do actions with it."""
        html = self._render(line, actions, *self._request_keys)
        if actions.has_forms:
            # Markup's replace escapes what it puts in: the HTML stays Markup.
            return html.replace(CSRF_STAND_IN, self._csrf_token)
        return html

    @functools.cached_property
    def _csrf_token(self):
        return generate_csrf()
