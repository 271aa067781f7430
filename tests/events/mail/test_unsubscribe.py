"""One-click unsubscribe (RFC 8058): the address in a notification's List-Unsubscribe
header turns that kind of mail off for that person, without a login, a cookie or a CSRF
token; its GET is a page with a button and turns nothing off; a link that is not ours,
or is for another person or kind, is a 404 and changes nothing."""

import threading

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from tests.support import every_table
from tests.support.members import new_member, stored
from webapp.accounts.models import User
from webapp.accounts.tokens import (
    ALL_NOTIFICATIONS,
    issue_token,
    read_unsubscribe_token,
    unsubscribe_token,
)
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.extensions import db
from webapp.web.converters import MAX_ID

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def people(app):
    """A bystander first, so that the person unsubscribing is not the first row."""
    bystander = new_member(app, email="bystander@example.org")
    ada = new_member(app, email="ada@example.org", first_name="Ada")
    return ada, bystander


def link(app, user_id, kind):
    with app.app_context():
        return f"/unsubscribe/{unsubscribe_token(user_id, kind)}"


def opted_out(app, user_id):
    with app.app_context():
        return set(
            db.session.scalars(
                sa.select(EventMailOptOut.kind).where(EventMailOptOut.user_id == user_id)
            )
        )


def mail_client_post(app, url):
    """As a mail program sends it: a fresh client, no cookie, no CSRF token."""
    return app.test_client().post(url, data=ONE_CLICK)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_a_get_shows_a_button_and_turns_nothing_off(app, client, people, htmx):
    ada, _ = people
    url = link(app, ada.id, EventMailKind.REMINDERS.value)
    before = every_table.rows(app)

    response = client.get(url, headers={"HX-Request": "true"} if htmx else {})

    assert response.status_code == 200
    page = response.text
    assert ("<html" in page) is not htmx
    assert "Unsubscribe from reminders" in page
    assert EventMailKind.REMINDERS.label.replace("'", "&#39;") in page
    assert f'<form method="post" action="{url}">' in page
    assert "Unsubscribe</button>" in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert every_table.rows(app) == before


@pytest.mark.parametrize("kind", list(EventMailKind))
def test_a_mail_clients_one_click_post_turns_that_kind_off_for_that_person(app, people, kind):
    ada, bystander = people

    response = mail_client_post(app, link(app, ada.id, kind.value))

    assert response.status_code == 200
    assert "You are unsubscribed" in response.text
    assert opted_out(app, ada.id) == {kind}
    assert opted_out(app, bystander.id) == set()
    assert stored(app, ada.id).email_notifications is True


def test_the_button_confirms_and_links_to_the_settings_to_undo_it(app, client, people):
    ada, _ = people
    url = link(app, ada.id, EventMailKind.CHANGES.value)
    client.get(url)

    done = client.post(url, data=ONE_CLICK)

    assert done.status_code == 200
    assert "You are unsubscribed" in done.text
    assert "Hearth will no longer email you notices of changed times and places." in done.text
    assert 'href="/settings#event-mail"' in done.text
    assert opted_out(app, ada.id) == {EventMailKind.CHANGES}


def test_the_profile_switch_kind_turns_off_group_and_event_mail(app, people):
    ada, bystander = people

    response = mail_client_post(app, link(app, ada.id, ALL_NOTIFICATIONS))

    assert response.status_code == 200
    assert 'href="/settings#profile"' in response.text
    assert stored(app, ada.id).email_notifications is False
    assert stored(app, bystander.id).email_notifications is True


def test_twice_or_at_once_is_as_once(app, people):
    ada, _ = people
    url = link(app, ada.id, EventMailKind.PROMOTION.value)
    assert mail_client_post(app, url).status_code == 200
    assert mail_client_post(app, url).status_code == 200
    assert opted_out(app, ada.id) == {EventMailKind.PROMOTION}

    url = link(app, ada.id, EventMailKind.CANCELLATIONS.value)
    clients = [app.test_client() for _ in range(6)]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def send(one):
        barrier.wait()
        statuses.append(one.post(url, data=ONE_CLICK).status_code)

    threads = [threading.Thread(target=send, args=(one,)) for one in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200] * len(clients)
    assert opted_out(app, ada.id) == {EventMailKind.PROMOTION, EventMailKind.CANCELLATIONS}


def _signed(app, payload, secret=None, salt="hearth.unsubscribe"):
    with app.app_context():
        key = secret or app.config["SECRET_KEY"]
        return "/unsubscribe/" + URLSafeSerializer(key, salt=salt).dumps(payload)


def _tampered(url):
    """The first character of the signature changed: each of its six bits is signature,
    where the last character's lowest bits are padding that decoding drops, so changing
    only those would leave the signature as it was."""
    payload, signature = url.rsplit(".", 1)
    return f"{payload}.{'B' if signature[0] != 'B' else 'C'}{signature[1:]}"


def _swapped(app, ada_id, bystander_id):
    """The bystander's payload under Ada's signature."""
    ada = link(app, ada_id, "reminders").rsplit("/", 1)[1]
    theirs = link(app, bystander_id, "reminders").rsplit("/", 1)[1]
    return "/unsubscribe/" + theirs.split(".")[0] + "." + ada.split(".")[1]


BAD_LINKS = {
    "tampered": lambda app, ada, other: _tampered(link(app, ada, "reminders")),
    "another-persons-payload": _swapped,
    "unknown-kind": lambda app, ada, other: _signed(app, [ada, "newsletters"]),
    "no-such-person": lambda app, ada, other: _signed(app, [MAX_ID, "reminders"]),
    "id-past-the-column": lambda app, ada, other: _signed(app, [MAX_ID + 1, "reminders"]),
    "not-a-pair": lambda app, ada, other: _signed(app, {"user": ada, "kind": "reminders"}),
    "another-key": lambda app, ada, other: _signed(app, [ada, "reminders"], secret="k" * 40),
    "another-purpose": lambda app, ada, other: _signed(
        app, [ada, "reminders"], salt="hearth.reset_password"
    ),
    "garbage": lambda app, ada, other: "/unsubscribe/x",
    "nul": lambda app, ada, other: "/unsubscribe/%00",
}


@pytest.mark.parametrize("bad", sorted(BAD_LINKS))
def test_a_link_that_is_not_ours_is_a_404_and_changes_nothing(app, client, people, bad):
    ada, bystander = people
    url = BAD_LINKS[bad](app, ada.id, bystander.id)
    before = every_table.rows(app)

    assert client.get(url).status_code in (400, 404)
    assert mail_client_post(app, url).status_code in (400, 404)
    assert every_table.rows(app) == before


def test_a_single_use_links_token_is_no_unsubscribe_token(app, people):
    ada, _ = people
    with app.app_context():
        reset = issue_token(db.session.get(User, ada.id), "reset_password")
        db.session.commit()
        assert read_unsubscribe_token(reset) is None
    assert mail_client_post(app, f"/unsubscribe/{reset}").status_code == 404
    assert opted_out(app, ada.id) == set()


def test_a_deleted_persons_link_is_a_404(app, people):
    ada, _ = people
    url = link(app, ada.id, "reminders")
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == ada.id))
        db.session.commit()

    assert app.test_client().get(url).status_code == 404
    assert mail_client_post(app, url).status_code == 404
