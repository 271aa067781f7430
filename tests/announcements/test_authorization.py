"""Who may do what with announcements: every announcements route x every kind of person
-> status, for a public and a private group, and for an event's people.

The harness is tests/support/authz.py: a new route without a row fails
test_every_route_has_a_row, and a refused request (or any GET) leaves every table as it
was. A group's announcements are its members': visitors of a public group are refused
(403), of a private one do not find it (404), unless the organisers of a public group made
one public, which anyone reads once it goes. An announcement one may not read is a 404,
as is one not yet sent to anyone but its organisers. Writing, editing and withdrawing
take an organiser (a site admin too), or for an event's people the event's co-host;
making a public one that has gone members-only, an organiser of its group; choosing how
they reach one takes a member.
"""

from datetime import date, timedelta

import pytest

from tests.accounts.factories import make_user
from tests.announcements.factories import make_announcement
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases

WORLDS = ("public", "private", "event", "open")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin. The co-host co-hosts the
# world's event: they write to its people, and edit or withdraw what waits to go to them
# (the event world's announcements), not the group's.
READ_LIST = ("403 403 403 200 200 200 200 200", "404 404 404 200 200 200 200 200")
READ_ONE = ("404 404 404 200 200 200 200 200",) * 2
MARK_ONE = ("login 404 404 303 303 303 303 303",) * 2
MARK_ALL = ("login 403 403 303 303 303 303 303", "login 404 404 303 303 303 303 303")
CHOOSE = ("login 403 403 303 303 303 303 403", "login 404 404 303 303 303 303 403")
GROUP_WRITE_PAGE = ("login 403 403 403 403 200 200 200", "login 404 404 403 403 200 200 200")
EVENT_WRITE_PAGE = ("login 403 403 403 200 200 200 200", "login 404 404 403 200 200 200 200")
GROUP_MANAGE_PAGE = ("login 404 404 404 404 200 200 200",) * 2
EVENT_MANAGE_PAGE = "login 404 404 404 200 200 200 200"
# Making the sent one members-only: it must be public (only in the open world), so those
# who read it elsewhere are refused (403), and those who may not read it do not find it.
MEMBERS_ONLY_PAGE = (
    "login 404 404 403 403 403 403 403",
    "login 404 404 403 403 403 403 403",
    "login 404 404 404 403 403 403 403",
    "login 403 403 403 403 200 200 200",
)


def acting(pages):
    return tuple(line.replace("200", "303") for line in pages)


# In the event world (a public group's), the announcements went, and wait to go, to the
# event's people going: nobody here answered it, so only its organisers and co-host read
# the one sent. In the open world (a public group's too), the organisers made both public:
# anyone reads the one sent, only those it went to mark it read, and the one waiting is
# its organisers' still.
TABLE = {
    ("announcements.group_list", "GET"): (*READ_LIST, READ_LIST[0], READ_LIST[0]),
    ("announcements.detail", "GET"): (
        *READ_ONE,
        "404 404 404 404 200 200 200 200",
        "200 200 200 200 200 200 200 200",
    ),
    ("announcements.mark_one_read", "POST"): (
        *MARK_ONE,
        "login 404 404 404 303 303 303 303",
        "login 403 403 303 303 303 303 303",
    ),
    ("announcements.mark_group_read", "POST"): (*MARK_ALL, MARK_ALL[0], MARK_ALL[0]),
    ("announcements.choose_group_delivery", "POST"): (*CHOOSE, CHOOSE[0], CHOOSE[0]),
    ("announcements.new_for_group", "GET"): (*GROUP_WRITE_PAGE, *GROUP_WRITE_PAGE[:1] * 2),
    ("announcements.new_for_group", "POST"): acting((*GROUP_WRITE_PAGE, *GROUP_WRITE_PAGE[:1] * 2)),
    ("announcements.new_for_event", "GET"): (*EVENT_WRITE_PAGE, *EVENT_WRITE_PAGE[:1] * 2),
    ("announcements.new_for_event", "POST"): acting((*EVENT_WRITE_PAGE, *EVENT_WRITE_PAGE[:1] * 2)),
    ("announcements.manage.edit", "GET"): (
        *GROUP_MANAGE_PAGE,
        EVENT_MANAGE_PAGE,
        GROUP_MANAGE_PAGE[0],
    ),
    ("announcements.manage.edit", "POST"): acting(
        (*GROUP_MANAGE_PAGE, EVENT_MANAGE_PAGE, GROUP_MANAGE_PAGE[0])
    ),
    ("announcements.manage.withdraw", "GET"): (
        *GROUP_MANAGE_PAGE,
        EVENT_MANAGE_PAGE,
        GROUP_MANAGE_PAGE[0],
    ),
    ("announcements.manage.withdraw", "POST"): acting(
        (*GROUP_MANAGE_PAGE, EVENT_MANAGE_PAGE, GROUP_MANAGE_PAGE[0])
    ),
    ("announcements.members_only", "GET"): MEMBERS_ONLY_PAGE,
    ("announcements.members_only", "POST"): acting(MEMBERS_ONLY_PAGE),
}


def build_world(kind):
    """An owner's group with an event, an announcement sent to the members (to the
    event's people going, in the event world; public, in the open world), and one that
    waits for next month."""
    owner = make_user()
    group = make_group(owner, visibility="public" if kind in ("event", "open") else kind)
    event = make_event(group, title="Lantern night")
    to_event = event if kind == "event" else None
    public = kind == "open"
    sent = make_announcement(group, owner, event=to_event, public=public)
    waiting = make_announcement(
        group, owner, event=to_event, in_days=30, subject="Lanterns, part two", public=public
    )
    return (
        owner,
        group,
        {
            "slug": group.slug,
            "event": event.id,
            "sent": sent.id,
            "waiting": waiting.id,
            "audience": {"to_going": "y"} if to_event else {},
        },
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
        {**LATER, "send_at": IN_THREE_MONTHS, **w["audience"]},
    ),
    ("announcements.manage.withdraw", "GET"): lambda w: (
        f"/announcements/{w['waiting']}/manage/withdraw",
        None,
    ),
    ("announcements.manage.withdraw", "POST"): lambda w: (
        f"/announcements/{w['waiting']}/manage/withdraw",
        {},
    ),
    ("announcements.members_only", "GET"): lambda w: (
        f"/announcements/{w['sent']}/members-only",
        None,
    ),
    ("announcements.members_only", "POST"): lambda w: (
        f"/announcements/{w['sent']}/members-only",
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
