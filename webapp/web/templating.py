"""What every template may use."""

import logging
import os
import zoneinfo

from flask import Flask, g, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import FileSystemBytecodeCache

from webapp.web.dates import day_text
from webapp.web.kept import KeptValues
from webapp.web.markdown import render_markdown
from webapp.web.numbers import number_text

logger = logging.getLogger(__name__)


def compile_all_templates(app: Flask):
    """Compile every template into the environment's cache now, in a process that will
    serve pages or run jobs, rather than each on the first request or job that needs it:
    the first answer to an event compiled its email templates (while it held the event's
    row), and a job forked from the worker compiled its own afresh each time. Outside
    debug Flask never reloads a compiled template, and the environment's cache holds
    every one (keep_every_template)."""
    environment = app.jinja_env
    for name in environment.list_templates(extensions=("html", "txt", "xml")):
        environment.get_template(name)


def keep_every_template(app: Flask):
    """Keep each compiled template in a plain dict, for the life of the process.

    Jinja's default cache is an LRU of 400: each look-up (every page's extends, every
    include and import) moved the template's key to the back of a queue, a search
    through the queue of all the templates. The templates are the files of the
    repository, all compiled at start (compile_all_templates), so there is nothing to
    evict; in debug Jinja still checks each one for changes as it is looked up.
    """
    app.jinja_env.cache = {}


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's compiled templates kept in a folder for every later process.

    Each gunicorn worker and job worker compiles all of them as it starts, which is most
    of what its start costs; a restarted node, or another worker on the machine, then
    loads them instead. Jinja keys each by its file and checks its source and the
    versions of Jinja and Python, so a changed template is compiled again. What is kept
    is code the app runs: the folder is made the app's own alone (mode 0700, as instance/
    holds the secret key), and one the app cannot make so is not used. A folder that
    cannot be read or written only costs the compiling."""

    def __init__(self, folder):
        os.makedirs(folder, mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
        super().__init__(folder)

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable, cut short or not Jinja's: compiled again
            # and written over (Jinja checks only the header and a checksum pickled after it).
            bucket.reset()

    def dump_bytecode(self, bucket):
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            logger.warning("compiled template %s not kept: %s", bucket.key, error)


def keep_compiled_templates(app: Flask):
    """Compiled templates kept on disk (CompiledTemplates), in TEMPLATE_CACHE_DIR."""
    try:
        app.jinja_env.bytecode_cache = CompiledTemplates(app.config["TEMPLATE_CACHE_DIR"])
    except OSError as error:
        logger.warning("compiled templates not kept: %s", error)


def register_template_helpers(app: Flask):
    keep_every_template(app)
    keep_compiled_templates(app)
    _register_filters(app)
    _register_not_hearths_templates(app)
    _register_csrf_header_token(app)


def _register_filters(app: Flask):
    @app.context_processor
    def appearance():
        theme = current_user.appearance if current_user.is_authenticated else "system"
        return {"appearance": theme}

    app.add_template_filter(render_markdown, "markdown")
    # A day in the page's (or the email's) language: {{ task.due_on|day_text("long_day") }}.
    app.add_template_filter(day_text, "day_text")
    # A count in it: {% trans count=n|number, n=n %}{{ count }} going{% pluralize n %}...
    app.add_template_filter(number_text, "number")

    @app.template_filter("local_time")
    def local_time(moment, fmt=None):
        """A UTC moment in the viewer's time zone: '05 Dec 2026, 18:00', or only the date
        with fmt="%d %b %Y". Built by hand, not with strftime, and the viewer's zone is
        looked up once per request: tables call this on every row."""
        if moment is None:
            return ""
        local = moment.astimezone(viewer_zone())
        day = day_text(local, "date")
        if fmt == DATE_ONLY:
            return day
        if fmt is not None:
            return local.strftime(fmt)
        return f"{day}, {local.hour:02d}:{local.minute:02d}"


def _register_not_hearths_templates(app: Flask):
    # The same on every page in a language: rendered once per language a process serves,
    # not on each page (and again each time while templates reload, as all kept HTML is).
    rendered_in = KeptValues(len(app.config["LANGUAGES"]))

    def render_not_hearths():
        messages = app.jinja_env.get_template("errors/_not_hearths.html").module
        return messages.page_templates()  # a macro's output: Markup already

    @app.template_global()
    def not_hearths_templates():
        """The templates app.js tells a person with when Hearth did not answer or a proxy
        refused (errors/_not_hearths.html), in the page's language."""
        return rendered_in.get(str(get_locale()), render_not_hearths)


def _register_csrf_header_token(app: Flask):
    @app.template_global()
    def csrf_header_token(viewer):
        """The CSRF token for htmx's header and the layout's logout button, when there is
        a session to hold it: made once per page, by the layout alone (a fragment has no
        logout button, and no longer makes a token for one).

        An anonymous visitor gets no session (and no Set-Cookie) just for looking: a page
        with a form makes the token itself, and the form carries it. viewer is the
        template's current_user, not the proxy: the 500 page renders this layout with an
        anonymous one when the database is down, and the proxy would ask the database.
        """
        if viewer.is_authenticated or app.config["WTF_CSRF_FIELD_NAME"] in session:
            return generate_csrf()
        return None


DATE_ONLY = "%d %b %Y"


# A visitor who is not logged in has no zone of their own: they read the site's.
SITE_TIME_ZONE = "UTC"


def viewer_zone():
    """The zone the viewer reads times in (theirs, or the site's), looked up once per request."""
    if "viewer_zone" not in g:
        name = current_user.time_zone if current_user.is_authenticated else SITE_TIME_ZONE
        g.viewer_zone = zoneinfo.ZoneInfo(name)
    return g.viewer_zone
