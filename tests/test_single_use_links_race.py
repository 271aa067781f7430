"""Every emailed single-use link, followed by two browsers at the same moment: one wins,
the other is told the link was used, and what the link does happens once.

The two requests are held together just after each has found the link unused, before
either claims it (webapp.accounts.tokens.redeem_token), so the race is run every time,
not left to the scheduler. The invitation link has its own race test
(tests/groups/test_invitations_accept.py).
"""

import threading

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.support.auth import create_user, link_problem_reason, login_data, signup_data
from tests.support.races import post_at_once
from webapp.accounts import tokens

pytestmark = pytest.mark.postgres

OLD = "ada@example.org"
NEW = "ada.new@example.org"
# Each racer's own new password, so the one that works tells who won.
PASSWORDS = ["First-Racer-Pass-1!", "Second-Racer-Pass-2?"]


@pytest.fixture
def held_together(monkeypatch):
    """Both requests pass the link's check before either may claim it."""
    barrier = threading.Barrier(2, timeout=20)
    check = tokens.check_token

    def check_then_wait(signed, purpose):
        token = check(signed, purpose)
        barrier.wait()
        return token

    monkeypatch.setattr(tokens, "check_token", check_then_wait)


def race(app, link, data):
    """Two browsers POST link at once: the winner's index, the loser's, and the loser's
    browser (which was answered 400 'used')."""
    browsers = [app.test_client(), app.test_client()]
    statuses = post_at_once(browsers, link, data)
    assert sorted(statuses) == [303, 400], statuses
    winner = statuses.index(303)
    return winner, 1 - winner, browsers[1 - winner]


def logs_in(app, email, password=DEFAULT_PASSWORD):
    return app.test_client().submit("/login", login_data(email, password)).status_code == 303


def subjects(mailbox, to):
    return [message["Subject"] for message in mailbox.messages(to)]


def test_two_browsers_confirming_one_signup_verify_it_once(app, mailbox, held_together):
    assert app.test_client().submit("/signup", signup_data(email=OLD)).status_code == 303
    link = mailbox.link(OLD)
    assert not logs_in(app, OLD)

    _, _, loser = race(app, link, {})

    # The loser's browser is told the link was used; the address is confirmed.
    assert link_problem_reason(loser.get(link)) == "used"
    assert logs_in(app, OLD)


def test_two_browsers_resetting_with_one_link_set_one_password(app, mailbox, held_together):
    create_user(app, email=OLD)
    assert app.test_client().submit("/password/forgot", {"email": OLD}).status_code == 303
    link = mailbox.link(OLD)

    winner, loser, _ = race(
        app, link, lambda index: {"password": PASSWORDS[index], "confirm": PASSWORDS[index]}
    )

    # The winner's password is the account's, the loser's is not, and one notice went.
    assert logs_in(app, OLD, PASSWORDS[winner])
    assert not logs_in(app, OLD, PASSWORDS[loser])
    assert subjects(mailbox, OLD).count("Your Hearth password was changed") == 1


def test_two_browsers_confirming_one_address_change_move_it_once(app, mailbox, held_together):
    create_user(app, email=OLD)
    member = app.test_client()
    assert member.submit("/login", login_data(OLD)).status_code == 303
    data = {"email-email": NEW, "email-current_password": DEFAULT_PASSWORD}
    assert member.submit("/settings/email", data).status_code == 303
    link = mailbox.link(NEW)

    race(app, link, {})

    # The account moved once: the new address logs in, the old one does not, and the
    # old address was told once.
    assert logs_in(app, NEW)
    assert not logs_in(app, OLD)
    assert subjects(mailbox, OLD).count("Your Hearth email address was changed") == 1
