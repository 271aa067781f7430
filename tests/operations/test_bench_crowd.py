"""Members posting together (benchmarks/crowd.py) against a server that cuts some answers
off, as a balancer does when the node it relays dies half-way through an answer: those
answers count as dropped, the others as they came, and nothing is lost in a thread."""

import socketserver
import threading

import pytest

from benchmarks.crowd import together
from benchmarks.load import DROPPED, Browser

WHOLE = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nsaved"
# The status line and headers relayed, then the connection closed before the body.
CUT_AFTER_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1896\r\n\r\n"


class CuttingHandler(socketserver.StreamRequestHandler):
    """Answers a POST whose form says cut=headers with its headers only, cut=nothing with
    no answer at all, and any other whole."""

    def handle(self):
        length = 0
        while (line := self.rfile.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        form = self.rfile.read(length)
        if b"cut=headers" in form:
            self.wfile.write(CUT_AFTER_HEADERS)
        elif b"cut=nothing" not in form:
            self.wfile.write(WHOLE)


@pytest.fixture
def cutting_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), CuttingHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_answers_cut_off_count_as_dropped_and_the_others_as_they_came(cutting_server):
    ready = [(Browser(cutting_server), f"token-{index}") for index in range(7)]
    cuts = {1: "headers", 4: "nothing", 5: "headers"}

    timings, answers = together(ready, "/rsvp", lambda index: {"cut": cuts.get(index, "no")})

    assert [answer.status for answer in answers] == [
        DROPPED if index in cuts else 200 for index in range(7)
    ]
    assert [answer.body for answer in answers if answer.status == 200] == [b"saved"] * 4
    assert timings.statuses == {200: 4, DROPPED: 3}
    assert timings.answered == 4
    assert len(timings.times) == 7


def test_a_fault_that_fails_beside_the_members_fails_the_rush(cutting_server):
    ready = [(Browser(cutting_server), "token") for _ in range(3)]

    def node_that_will_not_start():
        raise RuntimeError("node 1 did not start")

    with pytest.raises(RuntimeError, match="node 1 did not start"):
        together(ready, "/rsvp", lambda index: {"cut": "no"}, node_that_will_not_start)


def test_a_form_that_cannot_be_made_fails_the_rush_before_anyone_waits(cutting_server):
    ready = [(Browser(cutting_server), "token") for _ in range(3)]

    def form_of(index):
        if index == 2:
            raise ValueError("no choice for member 2")
        return {"cut": "no"}

    # Made in a member's thread, the others waited at the barrier for ever (the timeout
    # says so rather than hang the suite).
    outcome = {}

    def rush():
        try:
            together(ready, "/rsvp", form_of)
        except ValueError as error:
            outcome["error"] = error

    thread = threading.Thread(target=rush, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the rush hung"
    assert str(outcome["error"]) == "no choice for member 2"
