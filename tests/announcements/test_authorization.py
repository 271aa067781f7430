"""Who may do what with announcements: every announcements route x every kind of person
-> status, for a public and a private group.

The harness is tests/support/authz.py: a new route without a row fails
test_every_route_has_a_row, and a refused request (or any GET) leaves every table as it
was. A group's announcements are its members': visitors of a public group are refused
(403), of a private one do not find it (404). An announcement one may not read is a 404,
as is one not yet sent to anyone but its organisers. Writing, editing and withdrawing
take an organiser (a site admin too); choosing how they reach one takes a member.
"""

from datetime import date, timedelta

import pytest

from tests.accounts.factories import make_user
from tests.announcements.factories import make_announcement
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases

WORLDS = ("public", "private")

# One status per role, in the order of ROLES: visitor outsider pending member organiser owner admin
READ_LIST = ("403 403 403 200 200 200 200", "404 404 404 200 200 200 200")
READ_ONE = ("404 404 404 200 200 200 200",) * 2
MARK_ONE = ("login 404 404 303 303 303 303",) * 2
MARK_ALL = ("login 403 403 303 303 303 303", "login 404 404 303 303 303 303")
CHOOSE = ("login 403 403 303 303 303 403", "login 404 404 303 303 303 403")
WRITE_PAGE = ("login 403 403 403 200 200 200", "login 404 404 403 200 200 200")
WRITE = tuple(line.replace("200", "303") for line in WRITE_PAGE)
MANAGE_PAGE = ("login 404 404 404 200 200 200",) * 2
MANAGE = tuple(line.replace("200", "303") for line in MANAGE_PAGE)

TABLE = {
    ("announcements.group_list", "GET"): READ_LIST,
    ("announcements.detail", "GET"): READ_ONE,
    ("announcements.mark_one_read", "POST"): MARK_ONE,
    ("announcements.mark_group_read", "POST"): MARK_ALL,
    ("announcements.choose_group_delivery", "POST"): CHOOSE,
    ("announcements.new_for_group", "GET"): WRITE_PAGE,
    ("announcements.new_for_group", "POST"): WRITE,
    ("announcements.new_for_event", "GET"): WRITE_PAGE,
    ("announcements.new_for_event", "POST"): WRITE,
    ("announcements.manage.edit", "GET"): MANAGE_PAGE,
    ("announcements.manage.edit", "POST"): MANAGE,
    ("announcements.manage.withdraw", "GET"): MANAGE_PAGE,
    ("announcements.manage.withdraw", "POST"): MANAGE,
}


def build_world(kind):
    """An owner's group with an event, an announcement sent to the members, and one
    that waits for next month."""
    owner = make_user()
    group = make_group(owner, visibility=kind)
    event = make_event(group, title="Lantern night")
    sent = make_announcement(group, owner)
    waiting = make_announcement(group, owner, in_days=30, subject="Lanterns, part two")
    return (
        owner,
        group,
        {"slug": group.slug, "event": event.id, "sent": sent.id, "waiting": waiting.id},
    )


TEXT = {"subject": "Lanterns", "body": "At dusk.", "when": "now"}
# Within the year ahead that a scheduled announcement may wait, and not near the world's.
IN_TWO_MONTHS = f"{date.today() + timedelta(days=60):%Y-%m-%d}T18:00"
IN_THREE_MONTHS = f"{date.today() + timedelta(days=90):%Y-%m-%d}T18:00"
LATER = {**TEXT, "when": "later", "send_at": IN_TWO_MONTHS}

REQUESTS = {
    ("announcements.group_list", "GET"): lambda w: (f"/groups/{w['slug']}/announcements", None),
    ("announcements.detail", "GET"): lambda w: (f"/announcements/{w['sent']}", None),
    ("announcements.mark_one_read", "POST"): lambda w: (f"/announcements/{w['sent']}/read", {}),
    ("announcements.mark_group_read", "POST"): lambda w: (
        f"/groups/{w['slug']}/announcements/read",
        {},
    ),
    ("announcements.choose_group_delivery", "POST"): lambda w: (
        f"/groups/{w['slug']}/announcements/delivery",
        {"announcements-delivery": "digest"},
    ),
    ("announcements.new_for_group", "GET"): lambda w: (
        f"/groups/{w['slug']}/announcements/new",
        None,
    ),
    ("announcements.new_for_group", "POST"): lambda w: (
        f"/groups/{w['slug']}/announcements/new",
        LATER,
    ),
    ("announcements.new_for_event", "GET"): lambda w: (
        f"/events/{w['event']}/announcements/new",
        None,
    ),
    ("announcements.new_for_event", "POST"): lambda w: (
        f"/events/{w['event']}/announcements/new",
        {**LATER, "to_going": "y"},
    ),
    ("announcements.manage.edit", "GET"): lambda w: (
        f"/announcements/{w['waiting']}/manage/edit",
        None,
    ),
    ("announcements.manage.edit", "POST"): lambda w: (
        f"/announcements/{w['waiting']}/manage/edit",
        {**LATER, "send_at": IN_THREE_MONTHS},
    ),
    ("announcements.manage.withdraw", "GET"): lambda w: (
        f"/announcements/{w['waiting']}/manage/withdraw",
        None,
    ),
    ("announcements.manage.withdraw", "POST"): lambda w: (
        f"/announcements/{w['waiting']}/manage/withdraw",
        {},
    ),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, ("announcements.",), TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "announcements.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )
