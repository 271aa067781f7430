"""One id per request: in the answer, in the request's log line, and in the log line of
every job it queued, written by a separate worker process."""

import json
import logging
import re

import pytest

from tests.jobs.test_worker import run_rq_worker_process
from tests.support.logs import own_records, request_lines
from webapp import create_app
from webapp.web.request_ids import HEADER

HEX_ID = re.compile(r"[0-9a-f]{32}")


def test_each_answer_names_its_id_and_its_log_line_has_the_same(client, caplog):
    caplog.set_level(logging.INFO, logger="hearth.request")
    first = client.get("/login")
    second = client.get("/no-such-page")
    ids = [first.headers[HEADER], second.headers[HEADER]]
    assert all(HEX_ID.fullmatch(i) for i in ids)
    assert ids[0] != ids[1]
    assert [line["request_id"] for line in request_lines(caplog)] == ids
    assert second.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "form"),
    [
        ("GET", "/events?q=%00", None),
        ("GET", "/groups/a%00b", None),
        ("POST", "/login", {"email": "a\x00@example.org", "password": "x"}),
    ],
)
def test_a_request_refused_for_a_nul_byte_has_its_id_and_its_time_too(
    client, caplog, method, path, form
):
    """The NUL guard answers before any before_request function: the id and the timer
    must already be there, or the refusal is a log line nobody can find."""
    caplog.set_level(logging.INFO, logger="hearth.request")
    response = client.open(path, method=method, data=form)
    assert response.status_code == 400
    assert HEX_ID.fullmatch(response.headers.get(HEADER, ""))
    [line] = request_lines(caplog)
    assert line["request_id"] == response.headers[HEADER]
    assert line["status"] == 400
    assert isinstance(line.get("duration_ms"), float)


def test_every_log_record_of_a_request_carries_its_id(app, client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/login")
    [line] = own_records(caplog, "hearth.request")
    assert line.request_id == response.headers[HEADER]
    make_record = logging.getLogRecordFactory()
    outside = make_record("hearth", logging.INFO, __file__, 1, "no request", None, None)
    assert outside.request_id == "-"


def test_an_id_sent_by_the_client_is_not_taken_without_a_proxy_in_front(client):
    response = client.get("/login", headers={HEADER: "chosen-by-the-client"})
    assert response.headers[HEADER] != "chosen-by-the-client"


@pytest.mark.parametrize(
    ("offered", "taken"),
    [
        ("req-0123456789abcdef", True),
        ("short", False),
        ("x" * 65, False),
        ("evil line: injected", False),
        ("<script>alert(1)</script>", False),
    ],
)
def test_behind_a_trusted_proxy_its_id_is_kept_when_it_looks_like_one(app, offered, taken):
    proxied = create_app({**app.config, "TRUSTED_PROXY_HOPS": 1})
    response = proxied.test_client().get(
        "/healthz", headers={HEADER: offered}, base_url=app.config["BASE_URL"]
    )
    assert (response.headers[HEADER] == offered) is taken
    assert HEX_ID.fullmatch(response.headers[HEADER]) or taken


@pytest.mark.redis  # the worker is a process of its own
def test_the_worker_logs_the_id_of_the_request_that_queued_its_job(app, client):
    response = client.submit(
        "/signup",
        {
            "email": "ada@example.org",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "password": "Analytical-Engine-1843!",
            "confirm": "Analytical-Engine-1843!",
        },
    )
    assert response.status_code == 303
    request_id = response.headers[HEADER]
    worker = run_rq_worker_process(app)
    assert worker.returncode == 0, worker.stderr
    jobs = [
        json.loads(line.split("hearth.jobs [", 1)[1].split("] ", 1)[1])
        for line in worker.stderr.splitlines()
        if "hearth.jobs [" in line and '"job_id"' in line
    ]
    assert jobs, worker.stderr
    assert {job["request_id"] for job in jobs} == {request_id}
    assert {job["status"] for job in jobs} == {"finished"}
    assert f"[{request_id}]" in worker.stderr
