"""Every request has an id: in its log line, in its answer (X-Request-ID) and in the jobs
it queues, whose log lines carry it too. One click can be followed from the browser to
the email a worker sent for it, across processes.

The id lives in a context variable rather than on flask.g, so that log lines written
outside a request (a job in a worker) find it the same way.
"""

import contextvars
import logging
import re
import uuid

from flask import Flask, request

HEADER = "X-Request-ID"
# What a proxy in front may hand us as its own id; anything else is replaced by ours.
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current = contextvars.ContextVar("hearth_request_id", default=None)


def current_request_id():
    """The id of the request (or of the request whose job this is), or None."""
    return _current.get()


def new_request_id(offered=None):
    """offered when it looks like an id, else a fresh one."""
    if offered and _ACCEPTED.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def bind_request_id(request_id):
    """Make request_id the current one; returns the token that unbinds it."""
    return _current.set(request_id)


def unbind_request_id(token):
    _current.reset(token)


def install_log_record_ids():
    """Every log record, of any logger, gets a request_id attribute (``-`` outside any
    request), so a format may name it. Installed once per process."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_request_id", False):
        return

    def make_record(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.request_id = _current.get() or "-"
        return record

    make_record.adds_request_id = True
    logging.setLogRecordFactory(make_record)


def register_request_ids(app: Flask):
    # Only a proxy we trust may name the id; a client could otherwise fill the logs with
    # ids of its choosing.
    trust_incoming = app.config["TRUSTED_PROXY_HOPS"] > 0

    def bind(endpoint, values):
        offered = request.headers.get(HEADER) if trust_incoming else None
        request.environ["hearth.request_id_token"] = bind_request_id(new_request_id(offered))

    # First of all, so that every log line of the request carries the id: URL value
    # preprocessors run before any before_request function, and the input guards
    # (webapp.web.hooks) refuse a NUL byte from one of them.
    app.url_value_preprocessors.setdefault(None, []).insert(0, bind)

    @app.after_request
    def answer_with_id(response):
        request_id = current_request_id()
        if request_id:
            response.headers[HEADER] = request_id
        return response

    @app.teardown_request
    def unbind(error=None):
        token = request.environ.pop("hearth.request_id_token", None)
        if token is not None:
            unbind_request_id(token)
