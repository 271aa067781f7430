"""The helpers tests compare pages with (what they blank, and what they leave alone), and
the one they hear the statements of their own code with, those that tamper with a token
and read a test's own log lines, and the ports the tests' servers are given."""

import base64
import itertools
import logging
import re
import socket
import string
import threading

import pytest
import sqlalchemy as sa

from tests.support import every_table
from tests.support.auth import tampered_token
from tests.support.engine_events import listening
from tests.support.html_checks import without_csrf_tokens
from tests.support.logs import request_lines
from tests.support.ports import LOWEST, ephemeral_range, free_port, process_share
from tests.support.snapshots import Snapshot
from webapp.extensions import db

CSRF_IN_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_two_renders_of_a_page_differ_only_in_their_csrf_tokens(app):
    """Two sessions get different tokens (as one session does a second later): the htmx
    header and every hidden token field are blanked, so the pages compare equal."""
    first, second = (app.test_client().get("/login").get_data(as_text=True) for _ in range(2))

    assert first != second
    assert without_csrf_tokens(first) == without_csrf_tokens(second)


def test_blanking_keeps_everything_else(app):
    page = '<input id="email" name="email" type="email" value="ann@example.org">'

    assert without_csrf_tokens(page) == page


def secret_of(token):
    """A token is its secret, when it was signed, and the signature: the same secret signed
    a second later is another token."""
    return token.split(".")[0]


def test_the_token_the_client_makes_is_the_one_a_page_would_give(app):
    """The test client makes its session's CSRF token instead of reading it from a page:
    the app takes it, and it is the same secret the page's own token signs."""
    client = app.test_client()
    made = client.session_csrf_token()
    page = client.get("/login").get_data(as_text=True)

    assert CSRF_IN_FIELD.search(page) is not None
    again = client.session_csrf_token()
    assert secret_of(again) == secret_of(made), "a page of the same session made a new secret"
    response = client.post(
        "/login",
        data={"email": "x@example.org", "password": "wrong"},
        headers={"X-CSRFToken": made},
    )
    assert response.status_code == 422, "the made token was refused"
    forged = client.post(
        "/login",
        data={"email": "x@example.org", "password": "wrong"},
        headers={"X-CSRFToken": tampered_token(made, -2)},
    )
    assert forged.status_code == 400


def test_an_engine_event_is_heard_for_this_threads_statements_only(app):
    """A request the served app answers in a thread of its own meanwhile (a page of an
    earlier browser test) is not among the statements a test counts."""
    heard = []
    with app.app_context():
        engine = db.engine

    def elsewhere():
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 2"))

    def hear(connection, cursor, statement, parameters, context, executemany):
        heard.append(statement)

    with listening(engine, "before_cursor_execute", hear):
        other = threading.Thread(target=elsewhere)
        other.start()
        other.join()
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    assert heard == ["SELECT 1"]


@pytest.mark.postgres
def test_the_reads_of_every_table_stay_prepared_between_tests(app):
    """The reads the suite makes around each test (what changed, which tables hold rows)
    are prepared once, on a connection of their own: psycopg deallocates every prepared
    statement of a connection at a rollback, and the app's work ends so on the connections
    of its pool (those reads once ran there, and were planned afresh after each)."""
    with app.app_context():
        engine = db.engine
        reader = every_table._reader(engine.url)
        reads = {
            every_table._rows_sql(engine.dialect),
            every_table._fingerprint_sql(engine.dialect),
            every_table._holding_rows_sql(engine.dialect),
        }
    served = {}  # each read -> the connection that ran it last

    def note(connection, cursor, statement, parameters, context, executemany):
        if statement in reads:
            served[statement] = cursor.connection

    with listening(reader, "before_cursor_execute", note):
        for _ in range(2):
            every_table.rows(app)
            every_table.fingerprint(app)
            every_table.holding_rows(app)
            Snapshot.take(app)
            # The app's work between two tests' reads, ended with a rollback on every
            # connection its pool holds.
            with app.app_context():
                held = [engine.connect() for _ in range(engine.pool.checkedin() + 1)]
                for connection in held:
                    connection.execute(sa.text("SELECT 1"))
                    connection.rollback()
                    connection.close()

    assert set(served) == reads
    for statement, connection in served.items():
        # Asked on the connection itself (idle, in autocommit), which is left as it was.
        held = connection.execute("SELECT statement FROM pg_prepared_statements").fetchall()
        assert (statement,) in held


def test_a_tampered_token_decodes_to_other_bytes_wherever_it_is_changed():
    """A 20-byte signature ends in a character whose low bits decoding drops: changing only
    those bits (its "A" to "B", say) gives a token that is still valid, which once made a
    door-pass test fail one run in sixteen. tampered_token changes bytes at every position
    it accepts, and refuses the last."""
    signature = base64.urlsafe_b64encode(bytes(range(7, 27))).rstrip(b"=").decode()
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    padding_only = signature[:-1] + alphabet[alphabet.index(signature[-1]) ^ 1]
    assert padding_only != signature
    assert decoded(padding_only) == decoded(signature), "the trap this helper avoids"

    for position in range(-len(signature), -1):
        assert decoded(tampered_token(signature, position)) != decoded(signature), position
    with pytest.raises(ValueError):
        tampered_token(signature, -1)


def decoded(token):
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def test_a_request_answered_in_another_thread_is_no_line_of_the_tests(client, caplog):
    """The browser tests' live server answers in threads of its own, whenever a page left
    from an earlier test asks: once such a line reached a test counting its own lines."""
    caplog.set_level(logging.INFO, logger="hearth.request")
    other = threading.Thread(target=client.application.test_client().get, args=("/healthz",))
    other.start()
    other.join()
    client.get("/login")

    assert [r.name for r in caplog.records].count("hearth.request") == 2
    assert [line["path"] for line in request_lines(caplog)] == ["/login"]


def test_the_ports_servers_are_given_lie_outside_the_ephemeral_range_and_are_free():
    """No connection this machine opens can take a port between its being given and the
    server's binding it: the kernel gives connections ports of the ephemeral range only."""
    first, last = ephemeral_range()
    given = [free_port() for _ in range(200)]

    assert len(set(given)) == len(given)
    assert [port for port in given if first <= port <= last or port < LOWEST] == []
    for port in given[:20]:
        with socket.socket() as server:
            server.bind(("127.0.0.1", port))
            server.listen()


def test_each_test_process_takes_ports_from_a_share_of_its_own():
    shares = [process_share(f"gw{number}", (32768, 60999)) for number in range(5)]

    for one, other in itertools.combinations(shares, 2):
        assert not set(one) & set(other)
    assert min(len(share) for share in shares) > 1000
    assert process_share("", (32768, 60999)) == shares[0]
    # A range that leaves little room below it: the ports come from above it.
    above = process_share("gw1", (11000, 50000))
    assert above.start > 50000 and above.stop <= 65536
