"""Answering without an account is limited per client as well as per address: one client
posting the form too often is refused whatever addresses it names, and nothing more is
mailed; another client is not held back, and the form still loads."""

from email.utils import parseaddr

from tests.auth.test_protections import assert_too_many
from tests.events.guest_answers.support import build_picnic
from tests.support.auth import html

FORM = {"name": "Vic", "answer": "going", "guests": "0"}
NOISY = {"REMOTE_ADDR": "10.0.4.7"}
QUIET = {"REMOTE_ADDR": "10.0.4.8"}


def test_one_client_asking_too_often_gets_429_whatever_address_it_names(app, monkeypatch, mailbox):
    picnic = build_picnic(app)
    monkeypatch.setitem(app.config, "RATE_LIMIT_EMAIL", "2 per minute")
    url = f"/events/{picnic.event_id}/as-guest"
    noisy = app.test_client()

    for number in range(2):
        form = {**FORM, "email": f"person{number}@example.org"}
        assert noisy.submit(url, form, environ_base=NOISY).status_code == 303
    assert_too_many(noisy.submit(url, {**FORM, "email": "person2@example.org"}, environ_base=NOISY))
    refused = noisy.submit(
        url, {**FORM, "email": "person3@example.org"}, environ_base=NOISY, htmx=True
    )
    assert_too_many(refused)
    assert "<html" not in html(refused)
    assert noisy.get(url, environ_base=NOISY).status_code == 200  # only posts are counted

    other = app.test_client().submit(
        url, {**FORM, "email": "person4@example.org"}, environ_base=QUIET
    )
    assert other.status_code == 303
    mailed = sorted(parseaddr(message["To"])[1].lower() for message in mailbox.messages())
    assert mailed == ["person0@example.org", "person1@example.org", "person4@example.org"]
