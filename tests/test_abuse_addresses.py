"""One mailbox, many spellings: fullwidth letters, an ideographic full stop, other cases.
Rate limits per address and accounts both key on one canonical form of the address."""

import pytest

from tests.auth.test_protections import assert_too_many
from tests.support.auth import (
    create_user,
    field_error,
    find_user,
    login_data,
    signup_data,
)
from webapp.accounts.models import User, normalize_email
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.web.addresses import canonical_email

TARGET = "target@example.org"
# Each reaches TARGET's mailbox: fullwidth letters, ideographic and fullwidth full stops.
SPELLINGS = [
    "\uff54\uff41\uff52\uff47\uff45\uff54@example.org",
    "target@example\u3002org",
    "target@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0eorg",
    "TARGET@EXAMPLE\uff61ORG",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_has_the_one_canonical_form(spelling):
    assert canonical_email(spelling) == TARGET
    assert normalize_email(spelling) == TARGET


def test_the_domain_is_mapped_by_idna_and_kept_in_unicode():
    assert canonical_email("Ann@B\u00dcCHER.de") == "ann@b\u00fccher.de"
    assert canonical_email("ann@xn--bcher-kva.de") == "ann@b\u00fccher.de"


@pytest.mark.parametrize("garbage", ["", "   ", "no-at-sign", "a@-bad-.com", "a@b..c", "@"])
def test_any_text_has_a_canonical_form(garbage):
    # Rate-limit keys are built from raw form input, before validation.
    assert isinstance(canonical_email(garbage), str)


def test_reset_requests_for_one_mailbox_share_one_limit_however_spelled(app, mailbox, monkeypatch):
    create_user(app, email=TARGET)
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "2 per minute")
    spellings = [TARGET, *SPELLINGS]

    # A fresh client each time: only the per-address limit can refuse.
    responses = [
        app.test_client().submit(
            "/password/forgot", {"email": spelling}, environ_base={"REMOTE_ADDR": f"10.0.1.{n}"}
        )
        for n, spelling in enumerate(spellings)
    ]

    assert [r.status_code for r in responses[:2]] == [303, 303]
    for refused in responses[2:]:
        assert_too_many(refused)
    assert len(mailbox.messages()) == 2


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/login", lambda email: login_data(email)),
        ("/signup", lambda email: signup_data(email=email)),
        ("/verify/resend", lambda email: {"email": email}),
    ],
    ids=["login", "signup", "resend"],
)
def test_every_per_address_limit_sees_through_spellings(app, monkeypatch, url, form):
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "2 per minute")
    for n, spelling in enumerate([TARGET, SPELLINGS[0]]):
        client = app.test_client()
        response = client.submit(url, form(spelling), environ_base={"REMOTE_ADDR": f"10.0.2.{n}"})
        assert response.status_code != 429

    other = app.test_client()
    refused = other.submit(url, form(SPELLINGS[1]), environ_base={"REMOTE_ADDR": "10.0.2.9"})
    assert_too_many(refused)


def test_a_fullwidth_signup_is_the_account_its_plain_spelling_logs_into(app, client):
    fullwidth = SPELLINGS[0]
    assert client.submit("/signup", signup_data(email=fullwidth)).status_code == 303

    stored = find_user(app, TARGET)
    assert stored is not None
    assert stored.email_normalized == TARGET
    # Its owner confirms the address, then logs in however they type it.
    with app.app_context():
        db.session.get(User, stored.id).email_verified_at = utcnow()
        db.session.commit()
    for spelling in (TARGET, "Target@Example.org", SPELLINGS[1], SPELLINGS[3]):
        other = app.test_client()
        assert other.submit("/login", login_data(spelling)).status_code == 303, spelling


def test_signing_up_again_with_another_spelling_is_refused(app, client):
    create_user(app, email=TARGET)

    response = client.submit("/signup", signup_data(email=SPELLINGS[2]))

    assert response.status_code == 422
    assert "already exists" in field_error(response, "email")
