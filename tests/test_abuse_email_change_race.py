"""Two accounts confirming a move to the same new address at the same moment: one gets
it, the other is told why, and nobody sees a 500."""

import threading

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from webapp.accounts.models import User
from webapp.accounts.tokens import issue_token
from webapp.extensions import db

# SQLite runs one write at a time, so the race cannot happen there.
pytestmark = pytest.mark.postgres

ROUNDS = 8


@pytest.fixture
def rounds(app):
    """Per round, two accounts each holding a link to move to one shared new address."""
    made = []
    with app.app_context():
        for number in range(ROUNDS):
            new_email = f"shared{number}@example.net"
            links = []
            for who in ("ann", "bob"):
                user = make_user(email=f"{who}{number}@example.org")
                token = issue_token(user, "change_email", new_email=new_email)
                links.append("/settings/email/confirm/" + token)
            db.session.commit()
            made.append((new_email, links))
    return made


@pytest.fixture
def unique_violations(app):
    """How many times PostgreSQL refused a second account on one address."""
    seen = []

    def count(context):
        if "email_normalized" in str(context.original_exception):
            seen.append(context.original_exception)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "handle_error", count)
    yield seen
    sa.event.remove(engine, "handle_error", count)


def confirm_at_once(app, links):
    """POST each link from its own client and thread, released together; the responses."""
    clients = [app.test_client() for _ in links]
    tokens = [client.csrf_token() for client in clients]
    barrier = threading.Barrier(len(links))
    responses = [None] * len(links)

    def confirm(index):
        barrier.wait()
        responses[index] = clients[index].post(links[index], headers={"X-CSRFToken": tokens[index]})

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(len(links))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return clients, responses


def owners_of(app, email):
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.email_normalized == email)
        )


def test_two_accounts_confirming_one_new_address_at_once(app, rounds, unique_violations):
    for new_email, links in rounds:
        clients, responses = confirm_at_once(app, links)

        assert [r.status_code for r in responses] == [303, 303], new_email
        assert sorted(r.location for r in responses) == ["/", "/settings"], new_email
        assert owners_of(app, new_email) == 1
        loser = clients[[r.location for r in responses].index("/")]
        assert "Another account started using this address" in loser.get("/").get_data(as_text=True)

    assert unique_violations, "no round overlapped: the confirmations never raced"
