"""Log records a test's own requests wrote. The test client answers in the test's thread;
the browser tests' live server answers in threads of its own, and a page of an earlier
test (or one still closing) may reach it at any moment: its lines are no line of ours."""

import json
import threading


def own_records(caplog, logger):
    """caplog's records of logger written in this thread."""
    here = threading.get_ident()
    return [r for r in caplog.records if r.name == logger and r.thread == here]


def request_lines(caplog):
    """The request log's lines of this thread's requests, as dicts."""
    return [json.loads(record.getMessage()) for record in own_records(caplog, "hearth.request")]
