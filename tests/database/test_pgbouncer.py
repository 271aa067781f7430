"""Hearth behind PgBouncer in transaction mode (Debian's package, 1.18, which keeps no
prepared statement across server connections), with DATABASE_TRANSACTION_POOLER set.

Each of Hearth's transactions may run on another server connection than the last. The
test makes sure it does: PgBouncer has two, and before each request another client takes
the one Hearth used last into a transaction and frees the other, so Hearth's statements
run on the other one. A member logs in, opens an event and answers
it, and every answer is right. Without the setting, the same steps fail: Hearth prepares
its lookups by key on the server, and the other connection does not know them."""

import os

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.other_apps import app_like
from tests.support.pgbouncer import NoPgBouncer, PgBouncer
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db

pytestmark = pytest.mark.postgres


@pytest.fixture
def pgbouncer(app):
    try:
        bouncer = PgBouncer(app.config["SQLALCHEMY_DATABASE_URI"])
    except NoPgBouncer as missing:
        if os.environ.get("HEARTH_REQUIRE_SERVICES") == "1":
            pytest.fail(str(missing))
        pytest.skip(str(missing))
    yield bouncer
    bouncer.stop()


@pytest.fixture
def walk(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        walkers = make_group(olu, name="Walkers", slug="walkers")
        add_member(walkers, make_user(email="mia@example.org"))
        event = make_event(walkers, title="Canal walk", capacity=5)
        db.session.commit()
        return event.id


def a_members_visit(app, pgbouncer, event_id):
    """Mia logs in, opens the event, answers it and opens it again, each request on the
    other server connection than the last; the answers' statuses."""
    pgbouncer.switch_server_connection()
    mia = logged_in(app, "mia@example.org")
    statuses = []
    for request in [
        lambda: mia.get(f"/events/{event_id}", follow_redirects=True),
        lambda: mia.get(f"/events/{event_id}", follow_redirects=True),
        lambda: mia.submit(f"/events/{event_id}/rsvp", {"answer": "going"}),
        lambda: mia.get(f"/events/{event_id}", follow_redirects=True),
    ]:
        pgbouncer.switch_server_connection()
        statuses.append(request().status_code)
    return statuses


def test_hearth_runs_through_pgbouncer_in_transaction_mode(app, pgbouncer, walk):
    with app_like(
        app, SQLALCHEMY_DATABASE_URI=pgbouncer.database_url, DATABASE_TRANSACTION_POOLER=True
    ) as pooled:
        assert a_members_visit(pooled, pgbouncer, walk) == [200, 200, 303, 200]
        with pooled.app_context():
            (answer,) = db.session.scalars(db.select(Rsvp).where(Rsvp.event_id == walk)).all()
            assert answer.answer == "going"


@pytest.mark.expects_server_error
def test_without_the_setting_the_same_visit_fails(app, pgbouncer, walk, caplog):
    """What the setting is for (and that the test above moves Hearth between server
    connections): statements prepared on one are unknown on the other."""
    with app_like(app, SQLALCHEMY_DATABASE_URI=pgbouncer.database_url) as unpooled:
        assert 500 in a_members_visit(unpooled, pgbouncer, walk)
    assert "InvalidSqlStatementName" in caplog.text
