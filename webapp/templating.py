"""What every template may use."""

import zoneinfo

from flask import Flask, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from webapp.markdown import render_markdown


def register_template_helpers(app: Flask):
    @app.context_processor
    def appearance():
        theme = current_user.appearance if current_user.is_authenticated else "system"
        return {"appearance": theme}

    app.add_template_filter(render_markdown, "markdown")

    @app.template_global()
    def csrf_header_token():
        """The CSRF token for htmx's header, when there is a session to hold it.

        An anonymous visitor gets no session (and no Set-Cookie) just for looking: a page
        with a form makes the token itself, and the form carries it. A logged-in page has
        one already (its logout form made it). The session alone decides, not
        current_user: the 500 page renders this layout when the database is down.
        """
        if app.config["WTF_CSRF_FIELD_NAME"] in session:
            return generate_csrf()
        return None

    @app.template_filter("local_time")
    def local_time(moment, fmt="%d %b %Y, %H:%M"):
        """A UTC moment in the viewer's time zone."""
        if moment is None:
            return ""
        tz_name = current_user.time_zone if current_user.is_authenticated else "UTC"
        return moment.astimezone(zoneinfo.ZoneInfo(tz_name)).strftime(fmt)
