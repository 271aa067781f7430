"""A comment as its HTML, and a thread's section, rendered once for what they show.

A comment's HTML is a pure function of its CommentLine (words, author's name, when, edited,
hidden, pinned), of what the viewer may do with it (CommentActions), of the zone the viewer
reads times in, of their language and of the site's addresses. Each web process keeps the
comments it rendered last (as events' cards: webapp.events.cards), so a page of a long
thread renders only the comments that changed since: rendering every comment anew was most
of a thread's page. A changed comment, or a renamed author, is a different line, so no
kept HTML outlives what it shows.

A thread's section (its forms, and its page of comments) is kept the same way, by all it
shows: the thread's version (which every change to it moves), the page, what the viewer
may do there, whether they follow it, which of its comments are theirs and whether they
may still edit each, and the request's zone, addresses and language
(CommentsView.section_key). A section holding something of this request's alone (the
words and errors of a refused comment) is rendered and not kept.

A form in a comment or a section (remove it, hide it, pin it; follow, close, post)
carries the session's CSRF token, which
no two viewers share: the kept HTML holds a stand-in instead, which each request replaces
with its token. The stand-in holds NUL characters, which no comment's words or author's
name can (forms refuse them), so nothing else in the HTML can be mistaken for it.
"""

import functools
from typing import NamedTuple

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from webapp.web.kept import KeptValues
from webapp.web.templating import viewer_zone

COMMENTS_KEPT = 2048
# A section of an event's page is a few kilobytes, of a thread's page some tens.
SECTIONS_KEPT = 512
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

    def __call__(self, line, actions, csrf):
        """line (a CommentLine) as its HTML for a viewer who may do actions with it, its
        forms carrying csrf: the request's token, or the stand-in while a section that
        will be kept is rendered (section_html puts the token in at the end)."""
        html = self._render(line, actions, *self._request_keys)
        if actions.has_forms and csrf != CSRF_STAND_IN:
            # Markup's replace escapes what it puts in: the HTML stays Markup.
            return html.replace(CSRF_STAND_IN, csrf)
        return html


_sections = KeptValues(SECTIONS_KEPT)


def section_html(view, key):
    """The thread's section as view (a CommentsView) shows it to the current request.
    key: all it shows, to keep it by; None for a section of this request's own, rendered
    and not kept (so are all while templates reload, in development)."""

    def render():
        html = render_template(
            "discussions/_thread_section.html", comments=view, csrf=CSRF_STAND_IN
        )
        # Our template's output, every value in it escaped as it was rendered.
        # nosemgrep: markup-of-a-variable
        return Markup(html)  # noqa: S704  # nosec B704

    if key is None:
        html = render()
    else:
        request_keys = (viewer_zone(), request.script_root, str(get_locale()))
        html = _sections.get((key, request_keys), render)
    if CSRF_STAND_IN not in html:
        # No form in it (a visitor's): no token, which would start a session for nothing.
        return html
    return html.replace(CSRF_STAND_IN, generate_csrf())
