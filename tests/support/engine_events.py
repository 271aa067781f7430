"""Engine events heard for the statements of the test's own thread only.

The app served to the browser tests answers from threads of its own for the whole run of
a test process, and a request a page sent as its test ended may still be answered while
a later test counts what its code sends: that statement is not the code under test."""

import contextlib
import threading

import sqlalchemy as sa


@contextlib.contextmanager
def listening(engine, name, handler):
    """handler for engine's event name while the block runs, in this thread only."""
    thread = threading.get_ident()

    def in_this_thread(*args, **kwargs):
        if threading.get_ident() == thread:
            return handler(*args, **kwargs)
        return None

    sa.event.listen(engine, name, in_this_thread)
    try:
        yield
    finally:
        sa.event.remove(engine, name, in_this_thread)
