"""HTML kept by what it shows: a bounded store of values made once per key, for parts of
pages rendered from more than their key (a thread's section from its view, an event
page's head from its event), which functools.lru_cache cannot hold. The most recently
used stay; the oldest go past the bound."""

import threading
from collections import OrderedDict

from flask import current_app


class KeptValues:
    """The last `most` values made, by key. Locked, for the threaded development server."""

    def __init__(self, most):
        self._most = most
        self._values = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, make):
        """make()'s value for key, made again only once forgotten, and made each time
        while templates reload (in development). The database is part of every key: ids
        and versions name rows of one database, and tests (or a copy put back) use
        several."""
        if current_app.jinja_env.auto_reload:
            return make()
        key = (current_app.config["SQLALCHEMY_DATABASE_URI"], key)
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
                return value
        value = make()
        with self._lock:
            self._values[key] = value
            if len(self._values) > self._most:
                self._values.popitem(last=False)
        return value
