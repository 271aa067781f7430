"""Every logged-in request finds its user through the session row: that statement reads
what a request needs (the user's row without the password hash, the session's times),
and no other statement of a page reads the hash; a password is still checked at login,
where the hash is read alone."""

import pytest

from tests.accounts.factories import make_user
from tests.events.rsvp.support import statements_run
from tests.groups.factories import make_group
from tests.polls.support import logged_in

PAGES = ("/", "/groups", "/groups/walkers", "/settings")


@pytest.fixture
def walker(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        make_group(olu, name="Walkers", slug="walkers")
    return "olu@example.org"


def test_a_logged_in_page_never_reads_the_password_hash(app, walker):
    member = logged_in(app, walker)
    for page in PAGES:
        with statements_run(app) as statements:
            assert member.get(page).status_code == 200, page
        (lookup,) = [s for s in statements if "user_sessions.token_hash" in s]
        assert "user_agent" not in lookup and "user_sessions.token_hash," not in lookup
        assert not [s for s in statements if "password_hash" in s], page


def test_logging_in_reads_the_hash_it_checks(app, client, walker):
    with statements_run(app) as statements:
        wrong = client.submit("/login", {"email": walker, "password": "Not-the-one-1!"})
    assert wrong.status_code == 422
    assert [s for s in statements if "password_hash" in s]
    assert logged_in(app, walker).get("/settings").status_code == 200
