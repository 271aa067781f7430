"""A live part's poll that finds nothing new is answered in front of Flask.

Every open page with a live part asks every few seconds whether it changed, and nearly
always nothing did: on a busy site these polls are most of the requests. The answer is
one Redis read (webapp.live), yet through Flask it paid for what every request pays: the
session cookie opened and its signature checked, the request id and input guards, CSRF,
the log line, the hooks. This middleware matches the path against the app's own routes and, for
a view marked with `live.polled_by`, answers 204 itself when the version the part shows is
current, with the headers every answer carries (security headers, X-Request-ID) and the
request counted in the metrics like any other.

Anything else goes on to Flask unchanged, where the view decides as before: a version
that moved, a part whose time is over (286 there), a poll without htmx (a redirect),
input the guards refuse, or Redis not answering.

What such a 204 does not do, on purpose: it writes no log line (one per open page every
few seconds would bury the lines that matter; /metrics counts them), and it neither
reads nor renews the session (as in Flask: nothing here may touch the user).
"""

import time
from urllib.parse import parse_qsl

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from webapp import live
from webapp.web.hooks import fixed_headers
from webapp.web.request_ids import HEADER as REQUEST_ID_HEADER
from webapp.web.request_ids import new_request_id

NO_CONTENT = "204 NO CONTENT"


class AnswerCurrentPolls:
    """WSGI middleware in front of app (see the module's docstring)."""

    def __init__(self, app):
        self.next = app.wsgi_app
        self.url_map = app.url_map
        # Looked up at each poll, not kept: the app's client may be replaced (tests do).
        self.extensions = app.extensions
        self.topics = {
            endpoint: view.live_topic_of
            for endpoint, view in app.view_functions.items()
            if hasattr(view, "live_topic_of")
        }
        self.headers = list(fixed_headers(app.config).items())
        self.trust_request_ids = app.config["TRUSTED_PROXY_HOPS"] > 0
        # Imported here: the metrics module registers its series when imported.
        from webapp.operations.metrics import count

        self.count = count

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        endpoint = self._current_poll(environ)
        if endpoint is None:
            return self.next(environ, start_response)
        offered = environ.get("HTTP_X_REQUEST_ID") if self.trust_request_ids else None
        start_response(NO_CONTENT, [*self.headers, (REQUEST_ID_HEADER, new_request_id(offered))])
        self.count(endpoint, "GET", 204, time.perf_counter() - started)
        return []

    def _current_poll(self, environ):
        """The endpoint of a poll whose part shows the current version, else None."""
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or not environ.get("PATH_INFO", "").endswith("/live")
            # What webapp.web.htmx.wants_fragment asks: others go to the view's redirect.
            or environ.get("HTTP_HX_REQUEST") != "true"
            or environ.get("HTTP_HX_BOOSTED") == "true"
            or environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") == "true"
        ):
            return None
        try:
            endpoint, view_args = self.url_map.bind_to_environ(environ).match(method="GET")
        except (HTTPException, RoutingException):
            return None
        topic_of = self.topics.get(endpoint)
        if topic_of is None:
            return None
        seen = dict(parse_qsl(environ.get("QUERY_STRING", ""))).get("v", "")
        try:
            current = live.is_current(self.extensions["redis"], topic_of(**view_args), seen)
        except Exception:  # noqa: BLE001  (Redis away: the view answers, and says so in the log)
            return None
        return endpoint if current else None


def answer_current_polls(app):
    """After the blueprints (it reads their views) and outside the other middleware."""
    app.wsgi_app = AnswerCurrentPolls(app)
