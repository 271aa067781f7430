"""The browser tests' server closes a response whose browser went away (conftest.py)."""

import io

from tests.browser.conftest import ANSWER, _Answer, _ClosingWhenDropped


class _File(io.BytesIO):
    closes = 0

    def close(self):
        self.closes += 1
        super().close()


def test_a_response_whose_browser_went_away_is_closed_once():
    sent = _File(b"<svg/>")
    environ = {ANSWER: _Answer(sent)}
    handler = _ClosingWhenDropped.__new__(_ClosingWhenDropped)

    handler.connection_dropped(ConnectionResetError(), environ)
    environ[ANSWER].close()  # as werkzeug does when its own read did not fail first

    assert sent.closed
    assert sent.closes == 1
