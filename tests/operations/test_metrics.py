"""/metrics: Prometheus' text format, counted across gunicorn's worker processes, and
read by this machine or a token holder only."""

import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.browser.served import Gunicorn
from tests.events.rsvp.support import event_with_members
from webapp import create_app
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db
from webapp.outbox.models import OutboxMessage, OutboxState
from webapp.outbox.services import add_message

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}


def samples(text):
    """{(name, frozenset(labels)): value} of an exposition."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client, **kwargs):
    response = client.get("/metrics", environ_base=LOOPBACK, **kwargs)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return samples(response.text)


def value(found, name, **labels):
    return found.get((name, frozenset(labels.items())), 0)


def test_requests_are_counted_by_endpoint_method_and_status(client):
    key = {"endpoint": "auth.login", "method": "GET", "status": "200"}
    before = scrape(client)
    for _ in range(3):
        client.get("/login")
    client.get("/no-such-page")
    after = scrape(client)
    assert (
        value(after, "hearth_requests_total", **key) - value(before, "hearth_requests_total", **key)
        == 3
    )
    missing = {"endpoint": "(no route)", "method": "GET", "status": "404"}
    assert value(after, "hearth_requests_total", **missing) >= 1
    count = value(after, "hearth_request_duration_seconds_count", endpoint="auth.login")
    assert (
        count - value(before, "hearth_request_duration_seconds_count", endpoint="auth.login") == 3
    )


def test_the_outbox_rsvps_and_votes_are_read_at_each_scrape(app, client):
    before = scrape(client)
    with app.app_context():
        setup = event_with_members(members=2, capacity=1)
        event = db.session.get(Event, setup.event_id)
        for user_id in setup.user_ids:
            answer_event(db.session.get(User, user_id), event, Answer.GOING)
        add_message("test", "someone@example.org", "Waiting", "text")
        failed = add_message("test", "someone@example.org", "Failed", "text")
        db.session.flush()
        failed.state = OutboxState.FAILED
        # Committed without the after-commit queueing seeing it as new mail to send.
        db.session.commit()
    after = scrape(client)
    assert (
        value(after, "hearth_rsvps", answer="going") - value(before, "hearth_rsvps", answer="going")
        == 1
    )
    assert (
        value(after, "hearth_rsvps", answer="waitlisted")
        - value(before, "hearth_rsvps", answer="waitlisted")
        == 1
    )
    assert (
        value(after, "hearth_outbox_messages", state="failed")
        - value(before, "hearth_outbox_messages", state="failed")
        == 1
    )
    assert ("hearth_poll_voters", frozenset()) in after
    with app.app_context():
        db.session.execute(db.delete(OutboxMessage).where(OutboxMessage.kind == "test"))
        db.session.commit()


@pytest.mark.parametrize(
    "environ",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "10.0.0.2"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    ],
    ids=["from afar", "from the private network", "through a proxy on this machine"],
)
def test_without_a_token_only_this_machine_reads_them(client, environ):
    assert client.get("/metrics", environ_base=environ).status_code == 404


def test_with_a_token_only_its_holder_reads_them(app):
    guarded = create_app({**app.config, "METRICS_TOKEN": "s3cret-metrics-token"})
    client = guarded.test_client()
    base = app.config["BASE_URL"]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
        answer = client.get("/metrics", environ_base=LOOPBACK, headers=headers, base_url=base)
        assert answer.status_code == 404
    right = {"Authorization": "Bearer s3cret-metrics-token"}
    answer = client.get(
        "/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}, headers=right, base_url=base
    )
    assert answer.status_code == 200
    assert "hearth_requests_total" in answer.text


# Two processes share only the database and Redis: the in-process stand-in cannot be shared.
@pytest.mark.redis
def test_under_gunicorn_every_worker_process_is_counted(app, tmp_path):
    server = Gunicorn(
        app,
        workers=2,
        log_path=tmp_path / "access.log",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    ).start()

    def visit(_):
        with urllib.request.urlopen(server.url + "/", timeout=10) as answer:  # noqa: S310
            return answer.status

    try:
        # Bursts at once until both processes have answered some (a worker still starting
        # answers none of the first).
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(20):
                assert set(pool.map(visit, range(40))) == {200}
                if len(server.worker_pids("GET / HTTP")) == 2:
                    break
        with urllib.request.urlopen(server.url + "/metrics", timeout=5) as answer:  # noqa: S310
            found = samples(answer.read().decode())
    finally:
        server.stop()
    assert len(server.worker_pids("GET / HTTP")) == 2
    served = [line for line in server.log_path.read_text().splitlines() if "GET / HTTP" in line]
    key = {"endpoint": "main.home", "method": "GET", "status": "200"}
    assert value(found, "hearth_requests_total", **key) == len(served)
