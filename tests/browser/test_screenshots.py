"""Screenshots to look at, not to assert on: at 320 and 1280 px, light and dark.

Runs only with HEARTH_SCREENSHOTS=<folder>; with HEARTH_SCREENSHOTS=docs/screenshots it also
refreshes the pictures the README and docs/ show.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_page
from tests.browser.test_first_visit_flow import log_in
from tests.events.agenda.factories import make_session, make_weekend
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll, option_ids, vote
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db
from webapp.groups.models import Group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.environ.get("HEARTH_SCREENSHOTS"), reason="HEARTH_SCREENSHOTS unset"),
]

WIDTHS = {"phone": 320, "desktop": 1280}
README = {
    # README picture: (page, width, theme)
    "group.png": ("group", 1280, "light"),
    "group-members.png": ("members", 1280, "light"),
    "settings-dark.png": ("settings", 1280, "dark"),
    "home-phone.png": ("home", 320, "light"),
    "signup.png": ("signup-errors", 1280, "light"),
    "event.png": ("event", 1280, "light"),
    "poll.png": ("poll", 1280, "light"),
}


def shoot(page, folder, name, theme, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.evaluate("theme => document.documentElement.setAttribute('data-theme', theme)", theme)
    page.wait_for_timeout(50)
    path = folder / f"{name}-{width}-{theme}.png"
    # caret="initial": hiding the caret injects a style, which our CSP (rightly) refuses.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


def _night_walk(group):
    """A full event of group with a waitlist and a two-part agenda; returns its id."""
    event = make_weekend(
        group,
        title="Lantern walk along the canal",
        capacity=3,
        guests_allowed=1,
        venue="Lock keeper's cottage",
        address="12 Towpath Lane",
        description="Bring a **lantern** (or borrow one) and warm shoes. We walk slowly.",
    )
    make_session(event, "Gathering and tea", "2030-03-30T10:00", "2030-03-30T10:30", "Cottage")
    make_session(
        event,
        "The walk",
        "2030-03-30T10:30",
        "2030-03-30T12:00",
        "Towpath",
        [("June Okafor", "Has walked this canal for twenty years.")],
    )
    people = db.session.scalars(sa.select(User).order_by(User.id)).all()
    for person in people[:4]:  # the group's members; the fourth waits
        answer_event(person, db.session.get(Event, event.id), "going")
        db.session.commit()
    return event.id


def _where_to_start(slug):
    """An open poll of the group with nine votes; returns its id. Made after the other
    pictures, whose pages would list it (and its five new members)."""
    group = db.session.scalar(sa.select(Group).where(Group.slug == slug))
    newcomers = [
        ("Noor", "Haddad"),
        ("Sven", "Berg"),
        ("Lucia", "Rossi"),
        ("Kenji", "Ueda"),
        ("Amara", "Okafor"),
    ]
    for first, last in newcomers:
        email = f"{first.lower()}@example.org"
        add_member(group, make_user(email=email, first_name=first, last_name=last))
    poll = make_poll(
        group,
        labels=("The lock keeper's cottage", "Mill Bridge", "The boathouse"),
        question="Where shall we start the spring walks?",
        time_zone="Europe/London",
        closes_at=datetime(2030, 3, 20, 18, tzinfo=UTC),
    )
    cottage, bridge, boathouse = option_ids(poll)
    people = db.session.scalars(sa.select(User).order_by(User.id)).all()
    members = [person for person in people if person.email != "pat@example.org"]
    choices = [cottage, bridge, cottage, boathouse, cottage, bridge, cottage, bridge, cottage]
    for person, choice in zip(members, choices, strict=True):
        vote(person, poll, choice)
    return poll.id


def test_screenshots(app, page):
    folder = Path(os.environ["HEARTH_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    page.emulate_media(reduced_motion="reduce")
    with app.app_context():
        june = make_user(email="june@example.org", first_name="June", last_name="Okafor")
        group = make_group(
            june,
            name="Canal Walkers",
            slug="canal-walkers",
            description="We walk the **canal** on Friday evenings, rain or shine.",
        )
        for first, last in [("Mira", "Sato"), ("Theodora", "Vasquez-Lindqvist"), ("Ali", "Khan")]:
            add_member(
                group,
                make_user(email=f"{first.lower()}@example.org", first_name=first, last_name=last),
            )
        make_user(email="pat@example.org", first_name="Pat", last_name="Quinn")
        event_id = _night_walk(group)
    shots = {}

    def visit(name, path=None):
        if path:
            page.goto(path)
        check_page(page)
        for theme in ("light", "dark"):
            for width in WIDTHS.values():
                shots[(name, width, theme)] = shoot(page, folder, name, theme, width)
        page.set_viewport_size({"width": 1280, "height": 800})

    visit("welcome", "/")
    page.goto("/signup")
    page.get_by_label("Email").fill("ada@example")  # the browser lets it through; we do not
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Confirm password").fill("short")
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page.get_by_label("Email")).to_be_focused()
    visit("signup-errors")
    # The group's page as a logged-in visitor sees it (the README's picture), then its owner.
    log_in(page, "pat@example.org")
    visit("group", "/groups/canal-walkers")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "june@example.org")
    visit("home")
    visit("groups", "/groups")
    visit("group-owner", "/groups/canal-walkers")
    visit("members", "/groups/canal-walkers/manage/members")
    page.get_by_label("Role of Mira Sato", exact=True).select_option("owner")
    page.get_by_role("button", name="Save Mira Sato's role").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    visit("owner-dialog")
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    page.goto("/groups/canal-walkers/manage/invitations")
    page.get_by_label("Email address").fill("someone.with.a.long.address@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent")).to_be_visible()
    visit("invitations")
    visit("leave", "/groups/canal-walkers/leave")
    visit("group-settings", "/groups/canal-walkers/manage/settings")
    visit("settings", "/settings")
    # The event as its organiser sees it: full, with a waitlist, and its agenda.
    visit("event", f"/events/{event_id}")
    # A poll with results, as a member who voted sees it.
    with app.app_context():
        poll_id = _where_to_start("canal-walkers")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "mira@example.org")
    visit("poll", f"/polls/{poll_id}")

    if folder.resolve() == (Path(__file__).parents[2] / "docs" / "screenshots").resolve():
        for picture, key in README.items():
            shots[key].replace(folder / picture)
        for leftover in folder.glob("*-*-*.png"):
            if leftover.name not in README:
                leftover.unlink()
