"""The digest's section of the settings, as a page and an htmx fragment: how often, which
groups; bad input refused beside its field with nothing written. And the digest's own
links: one click (a mail program's POST) stops the digest or leaves one group out of it, a
GET changes nothing, a tampered link is a 404."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.conftest import run_worker
from tests.digest.conftest import EIGHT_AM
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.html_checks import is_checked
from webapp.accounts.models import User
from webapp.digest.models import DigestGroupLeftOut, DigestSetting, Frequency
from webapp.digest.sending import sweep_due_digests
from webapp.extensions import db
from webapp.groups.models import Group

URL = "/settings/digest"


@pytest.fixture
def groups(app, world):
    """Madrid's groups: Walkers (the world's), and Choir and Book club, made so that their
    ids' order is not their names'; and one they are not in."""
    with app.app_context():
        madrid = db.session.get(User, world.people["madrid"])
        owner = make_user()
        ids = {}
        for name in ("Choir", "Strangers", "Book club"):
            group = make_group(owner, name=name)
            if name != "Strangers":
                add_member(group, madrid)
            ids[name] = group.id
        ids["Walkers"] = world.group_id
        return ids


def stored(app, user_id):
    with app.app_context():
        setting = db.session.get(DigestSetting, user_id)
        left_out = db.session.scalars(
            sa.select(DigestGroupLeftOut.group_id).where(DigestGroupLeftOut.user_id == user_id)
        )
        return (setting.frequency if setting else None), set(left_out)


def test_weekly_and_every_group_until_chosen_otherwise(app, world, groups):
    page = logged_in(app, "madrid@example.org").get("/settings").text
    assert is_checked(page, "digest-frequency-0")  # weekly
    labels = [name for name in ("Book club", "Choir", "Walkers") if f"> {name}</label>" in page]
    assert labels == ["Book club", "Choir", "Walkers"]
    assert "Strangers" not in page
    for number, name in enumerate(("Book club", "Choir", "Walkers")):
        assert is_checked(page, f"digest-groups-{number}"), name
        box = f'id="digest-groups-{number}" name="digest-groups" type="checkbox"'
        assert f'{box} value="{groups[name]}"' in page


def test_choosing_daily_and_leaving_a_group_out(app, world, groups):
    client = logged_in(app, "madrid@example.org")
    kept = [groups["Walkers"], groups["Book club"]]

    response = client.submit(URL, {"digest-frequency": "daily", "digest-groups": kept})

    assert response.status_code == 303 and response.location == "/settings#digest"
    assert stored(app, world.people["madrid"]) == (Frequency.DAILY, {groups["Choir"]})
    assert "Your digest choices are saved." in client.get(response.location).text
    # Ticking it again takes it back in; htmx gets the section in place.
    fragment = client.submit(
        URL, {"digest-frequency": "weekly", "digest-groups": [*kept, groups["Choir"]]}, htmx=True
    )
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith(
        '<form id="digest-form"'
    )
    assert stored(app, world.people["madrid"]) == (Frequency.WEEKLY, set())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"digest-frequency": "hourly"}, "digest-frequency"),
        ({}, "digest-frequency"),
        ({"digest-frequency": "daily", "digest-groups": ["strangers"]}, "digest-groups"),
    ],
)
def test_bad_input_is_refused_beside_its_field(app, world, groups, data, field):
    if data.get("digest-groups") == ["strangers"]:
        data = {**data, "digest-groups": [groups["Strangers"]]}
    response = logged_in(app, "madrid@example.org").submit(URL, data)

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert stored(app, world.people["madrid"]) == (None, set())


def test_a_visitor_is_sent_to_log_in(app, client, world):
    assert client.get(URL).location.startswith("/login?next=")
    assert client.submit(URL, {"digest-frequency": "off"}).location.startswith("/login?next=")
    assert stored(app, world.people["madrid"]) == (None, set())


def madrids_digest(app, mailbox):
    with app.app_context():
        sweep_due_digests(EIGHT_AM["madrid"] + timedelta(minutes=1))
    run_worker(app)
    return mailbox.last("madrid@example.org")


def test_one_click_in_the_digest_stops_it_and_a_get_changes_nothing(app, world, mailbox):
    message = madrids_digest(app, mailbox)
    one_click = message["List-Unsubscribe"].strip("<>").removeprefix(app.config["BASE_URL"])
    mail_program = app.test_client()

    page = mail_program.get(one_click)
    assert page.status_code == 200 and "your digest" in page.text
    assert stored(app, world.people["madrid"]) == (None, set())
    assert mail_program.post(one_click[:-3] + "xyz").status_code == 404
    assert stored(app, world.people["madrid"]) == (None, set())

    response = mail_program.post(
        one_click,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert stored(app, world.people["madrid"]) == (Frequency.OFF, set())


def test_the_link_under_a_group_leaves_out_that_group_only(app, world, groups, mailbox):
    text = mailbox.text(madrids_digest(app, mailbox))
    link = text.split("Leave Walkers out of your digest: ")[1].split()[0]
    path = link.removeprefix(app.config["BASE_URL"])

    response = app.test_client().post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert stored(app, world.people["madrid"]) == (None, {groups["Walkers"]})
    with app.app_context():
        assert db.session.get(Group, groups["Choir"]) is not None
