"""The email-change form tells nobody which addresses have accounts: it answers the same
for every address, and an address in use hears that someone tried, with no link."""

import re

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.conftest import Auth
from tests.support.html_checks import without_csrf_tokens
from tests.support.members import new_member, stored

OLD = "ada@example.org"
TAKEN = "taken@example.org"
FREE = "free@example.net"


@pytest.fixture
def ada(app, auth):
    member = new_member(app, email=OLD, first_name="Ada")
    new_member(app, email=TAKEN, first_name="Tom")
    assert auth.login(OLD).status_code == 303
    # The page the login leads to shows its welcome, as a browser opens it.
    auth.client.get("/")
    return member


def change_to(client, email, htmx=False):
    data = {"email-email": email, "email-current_password": DEFAULT_PASSWORD}
    return client.submit("/settings/email", data, htmx=htmx)


def shown(client, response):
    """What the member sees after the change: the page redirected to, or the fragment."""
    text = response.get_data(as_text=True)
    if response.status_code == 303:
        text = client.get(response.location).get_data(as_text=True)
    return without_csrf_tokens(text)


def blanked(text):
    return re.sub(r"We sent a link to \S+@\S+?\. ", "We sent a link to ADDRESS. ", text)


@pytest.mark.parametrize("taken", [TAKEN, "Taken@EXAMPLE.org", "\uff54aken@example.org"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_an_address_in_use_gets_the_same_answer_as_a_free_one(app, client, ada, taken, htmx):
    free = change_to(client, FREE, htmx=htmx)
    free_page = shown(client, free)
    in_use = change_to(client, taken, htmx=htmx)
    in_use_page = shown(client, in_use)

    assert in_use.status_code == free.status_code == (200 if htmx else 303)
    assert in_use.headers.get("Location") == free.headers.get("Location")
    assert f"We sent a link to {FREE}. " in free_page
    assert re.search(rf"We sent a link to {re.escape(taken[:5])}\S+\. ", in_use_page)
    assert blanked(in_use_page) == blanked(free_page)
    assert stored(app, ada.id).email == OLD


def test_an_address_in_use_hears_of_the_attempt_and_gets_no_link(app, client, ada, mailbox):
    change_to(client, "Taken@EXAMPLE.org")

    [notice] = mailbox.messages(TAKEN)
    assert notice["Subject"] == "Someone tried to use your address on Hearth"
    body = mailbox.text(notice)
    assert "nothing was changed" in body
    assert not re.search(r"https?://\S+/settings/email/confirm/", body)
    # Nothing names the account that tried.
    assert OLD not in body
    assert "Ada" not in body
    assert mailbox.messages(OLD) == []
    assert Auth(app.test_client()).login(TAKEN).status_code == 303


def test_a_free_address_still_gets_its_link(app, client, ada, mailbox):
    change_to(client, FREE)
    path = mailbox.link(FREE)

    assert path.startswith("/settings/email/confirm/")
    assert client.submit(path).status_code == 303
    assert stored(app, ada.id).email == FREE
