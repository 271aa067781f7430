"""Flask's signed cookie session, not sent again when a request leaves it as it came.

An htmx action says what it did in the answer's own fragment: its message is flashed into
the session and read back out before the response, so the session ends as it began, yet
Flask counts it modified and signs and sends a new cookie: work for nothing on every
RSVP, in the rush where many members answer at once.
"""

from flask.sessions import SecureCookieSessionInterface


class UnchangedSessionKept(SecureCookieSessionInterface):
    def open_session(self, app, request):
        session = super().open_session(app, request)
        if session:
            # The cookie, not a copy of its contents: a view may change a list in the
            # session in place (and mark it modified), which a copy would share.
            session.cookie_as_read = request.cookies.get(self.get_cookie_name(app))
        return session

    def should_set_cookie(self, app, session):
        if session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]:
            return True  # a permanent session's expiry moves with each request
        return session.modified and not self._as_read(app, session)

    def _as_read(self, app, session):
        cookie = getattr(session, "cookie_as_read", None)
        if cookie is None:
            return False
        # Its signature was checked when it was opened; this only decodes it again, and
        # only for a session something touched.
        return self.get_signing_serializer(app).loads(cookie) == dict(session)


def register_cookie_session(app):
    app.session_interface = UnchangedSessionKept()
