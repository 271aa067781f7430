"""Who may do what with talk: every discussions route x every kind of person -> status,
for an event of a public group, of a private group, a draft, and a cancelled event, each
group with a discussion of its own (harness: tests/support/authz.py).

Reading an event's comments takes being part of the group (a member, its organisers, the
event's co-host, a site admin who keeps order); writing takes an active member (a site
admin who is not one: 403), the event published; editing and removing are the author's
alone, and the world's comment is someone else's (403 to everyone who may read it);
hiding, pinning and closing are the organisers', the co-host's and the site admin's. A
cancelled event's comments go on. A group's discussions are its members' (a visitor is
refused, not sent to log in); keeping a discussion in order is the group's organisers'
and the site admin's, not an event's co-host's. A live part's poll without htmx sends
the browser to its page, whoever asks.
"""

from typing import NamedTuple

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.discussions.factories import make_comment
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.authz import (
    actor_for,
    assert_answer,
    assert_shared_cell,
    assert_table_covers,
    cases,
)
from webapp.discussions.services import start_discussion
from webapp.events.models import EventStatus
from webapp.extensions import db
from webapp.groups.models import Membership

WORLDS = ("public", "private", "draft", "cancelled")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
SEE = (
    "200 200 200 200 200 200 200 200",
    "404 404 404 200 200 200 200 200",
    "404 404 404 404 200 200 200 200",
    "200 200 200 200 200 200 200 200",
)
WRITE = (
    "login 403 403 303 303 303 303 403",
    "login 404 404 303 303 303 303 403",
    "login 404 404 404 403 403 403 403",
    "login 403 403 303 303 303 303 403",
)
REPLY_PAGE = tuple(
    line.replace("303", "200").replace("login 403 403", "login 404 404") for line in WRITE
)
REPLY = tuple(line.replace("login 403 403", "login 404 404") for line in WRITE)
FOLLOW = (
    "login 403 403 303 303 303 303 303",
    "login 404 404 303 303 303 303 303",
    "login 404 404 404 303 303 303 303",
    "login 403 403 303 303 303 303 303",
)
MODERATE = (
    "login 403 403 403 303 303 303 303",
    "login 404 404 403 303 303 303 303",
    "login 404 404 404 303 303 303 303",
    "login 403 403 403 303 303 303 303",
)
MODERATE_COMMENT = tuple(line.replace("login 403 403", "login 404 404") for line in MODERATE)
AUTHORS_ALONE = (
    "login 404 404 403 403 403 403 403",
    "login 404 404 403 403 403 403 403",
    "login 404 404 404 403 403 403 403",
    "login 404 404 403 403 403 403 403",
)
ANYONE_IS_SENT_ON = ("303 303 303 303 303 303 303 303",) * 4


# A group's discussions: the same in every world of a public group (its event's state
# aside), refused to outsiders; the co-host is a member of the group like any other.
def group_lines(public, private):
    return (public, private, public, public)


GROUP_LIST = group_lines("403 403 403 200 200 200 200 200", "404 404 404 200 200 200 200 200")
START_PAGE = group_lines("login 403 403 200 200 200 200 403", "login 404 404 200 200 200 200 403")
START = tuple(line.replace("200", "303") for line in START_PAGE)
READ_DISCUSSION = ("404 404 404 200 200 200 200 200",) * 4
WRITE_IN_DISCUSSION = ("login 404 404 303 303 303 303 403",) * 4
FOLLOW_DISCUSSION = ("login 404 404 303 303 303 303 303",) * 4
KEEP_DISCUSSION = ("login 404 404 403 403 303 303 303",) * 4

TABLE = {
    ("discussions.event_comments", "GET"): SEE,
    ("discussions.event_comments", "POST"): WRITE,
    ("discussions.live_event_comments", "GET"): ANYONE_IS_SENT_ON,
    ("discussions.follow", "POST"): FOLLOW,
    ("discussions.lock", "POST"): MODERATE,
    ("discussions.reply", "GET"): REPLY_PAGE,
    ("discussions.reply", "POST"): REPLY,
    ("discussions.edit", "GET"): AUTHORS_ALONE,
    ("discussions.edit", "POST"): AUTHORS_ALONE,
    ("discussions.remove", "POST"): AUTHORS_ALONE,
    ("discussions.manage.hide", "POST"): MODERATE_COMMENT,
    ("discussions.manage.show", "POST"): MODERATE_COMMENT,
    ("discussions.manage.pin", "POST"): MODERATE_COMMENT,
    ("discussions.manage.unpin", "POST"): MODERATE_COMMENT,
    ("discussions.group_list", "GET"): GROUP_LIST,
    ("discussions.new", "GET"): START_PAGE,
    ("discussions.new", "POST"): START,
    ("discussions.discussion", "GET"): READ_DISCUSSION,
    ("discussions.discussion", "POST"): WRITE_IN_DISCUSSION,
    ("discussions.live_discussion", "GET"): ANYONE_IS_SENT_ON,
    ("discussions.follow_discussion", "POST"): FOLLOW_DISCUSSION,
    ("discussions.manage_discussion.lock", "POST"): KEEP_DISCUSSION,
    ("discussions.manage_discussion.pin", "POST"): KEEP_DISCUSSION,
    ("discussions.manage_discussion.hide", "POST"): KEEP_DISCUSSION,
}


class World(NamedTuple):
    event_id: int
    comment: int
    slug: str
    discussion: int


def build_world(kind):
    """An owner's group with a member who commented under its event (a draft, or
    cancelled, as kind says: the comment written while it was published)."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    event = make_event(group, title="Lantern night")
    someone = make_user()
    add_member(group, someone)
    comment = make_comment(event, someone, "Who brings the lanterns?")
    discussion = start_discussion(someone, group, "Lantern walk", "Who is in?")
    db.session.commit()
    status = {"draft": EventStatus.DRAFT, "cancelled": EventStatus.CANCELLED}.get(kind)
    if status is not None:
        event.status = status
        db.session.commit()
    return owner, group, World(event.id, comment.id, group.slug, discussion.id)


REQUESTS = {
    ("discussions.event_comments", "GET"): lambda w: (f"/events/{w.event_id}/comments", None),
    ("discussions.event_comments", "POST"): lambda w: (
        f"/events/{w.event_id}/comments",
        {"comment-body": "I do"},
    ),
    ("discussions.live_event_comments", "GET"): lambda w: (
        f"/events/{w.event_id}/comments/live?v=1",
        None,
    ),
    ("discussions.follow", "POST"): lambda w: (
        f"/events/{w.event_id}/comments/follow",
        {"following": "1"},
    ),
    ("discussions.lock", "POST"): lambda w: (
        f"/events/{w.event_id}/comments/lock",
        {"locked": "1"},
    ),
    ("discussions.reply", "GET"): lambda w: (f"/comments/{w.comment}/reply", None),
    ("discussions.reply", "POST"): lambda w: (
        f"/comments/{w.comment}/reply",
        {"reply-body": "Me"},
    ),
    ("discussions.edit", "GET"): lambda w: (f"/comments/{w.comment}/edit", None),
    ("discussions.edit", "POST"): lambda w: (
        f"/comments/{w.comment}/edit",
        {"edit-body": "Changed"},
    ),
    ("discussions.remove", "POST"): lambda w: (f"/comments/{w.comment}/remove", {}),
    ("discussions.manage.hide", "POST"): lambda w: (f"/comments/{w.comment}/manage/hide", {}),
    ("discussions.manage.show", "POST"): lambda w: (f"/comments/{w.comment}/manage/show", {}),
    ("discussions.manage.pin", "POST"): lambda w: (f"/comments/{w.comment}/manage/pin", {}),
    ("discussions.manage.unpin", "POST"): lambda w: (f"/comments/{w.comment}/manage/unpin", {}),
    ("discussions.group_list", "GET"): lambda w: (f"/groups/{w.slug}/discussions", None),
    ("discussions.new", "GET"): lambda w: (f"/groups/{w.slug}/discussions/new", None),
    ("discussions.new", "POST"): lambda w: (
        f"/groups/{w.slug}/discussions/new",
        {"title": "Carpools", "body": "Who drives?"},
    ),
    ("discussions.discussion", "GET"): lambda w: (f"/discussions/{w.discussion}", None),
    ("discussions.discussion", "POST"): lambda w: (
        f"/discussions/{w.discussion}",
        {"comment-body": "Me"},
    ),
    ("discussions.live_discussion", "GET"): lambda w: (
        f"/discussions/{w.discussion}/live?v=1",
        None,
    ),
    ("discussions.follow_discussion", "POST"): lambda w: (
        f"/discussions/{w.discussion}/follow",
        {"following": "1"},
    ),
    ("discussions.manage_discussion.lock", "POST"): lambda w: (
        f"/discussions/{w.discussion}/manage/lock",
        {"locked": "1"},
    ),
    ("discussions.manage_discussion.pin", "POST"): lambda w: (
        f"/discussions/{w.discussion}/manage/pin",
        {"on": "1"},
    ),
    ("discussions.manage_discussion.hide", "POST"): lambda w: (
        f"/discussions/{w.discussion}/manage/hide",
        {"on": "1"},
    ),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, ("discussions.",), TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "discussions.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )


def test_one_groups_organiser_cannot_moderate_another_groups_comments(app, client, auth):
    with app.app_context():
        mine = make_group(make_user(), name="Mine")
        email = actor_for("organiser", None, mine).email
        _, _, theirs = build_world("public")
    auth.login(email)
    for endpoint, method in TABLE:
        if endpoint.startswith(("discussions.manage", "discussions.lock")):
            url, data = REQUESTS[endpoint, method](theirs)
            response = client.submit(url, data)
            assert response.status_code in (403, 404), (endpoint, method)


def test_unknown_and_impossible_ids_are_404(app, client, auth):
    with app.app_context():
        email = build_world("public")[0].email
    auth.login(email)
    for path in ("/comments/999999", "/comments/2147483648", "/comments/0", "/comments/-1"):
        assert client.get(path + "/reply").status_code == 404, path
        assert client.submit(path + "/manage/hide").status_code == 404, path
    assert client.get("/events/99999999999/comments").status_code == 404


# A member who wrote the world's comment and started its discussion, then was removed
# from the group: every route as them, in the public world. Their words stay; they read
# and write nothing more (the event's page is public: its comments' page answers, empty).
REMOVED = {
    ("discussions.event_comments", "GET"): "200",
    ("discussions.event_comments", "POST"): "403",
    ("discussions.live_event_comments", "GET"): "303",
    ("discussions.follow", "POST"): "403",
    ("discussions.lock", "POST"): "403",
    ("discussions.reply", "GET"): "404",
    ("discussions.reply", "POST"): "404",
    ("discussions.edit", "GET"): "404",
    ("discussions.edit", "POST"): "404",
    ("discussions.remove", "POST"): "404",
    ("discussions.manage.hide", "POST"): "404",
    ("discussions.manage.show", "POST"): "404",
    ("discussions.manage.pin", "POST"): "404",
    ("discussions.manage.unpin", "POST"): "404",
    ("discussions.group_list", "GET"): "403",
    ("discussions.new", "GET"): "403",
    ("discussions.new", "POST"): "403",
    ("discussions.discussion", "GET"): "404",
    ("discussions.discussion", "POST"): "404",
    ("discussions.live_discussion", "GET"): "303",
    ("discussions.follow_discussion", "POST"): "404",
    ("discussions.manage_discussion.lock", "POST"): "404",
    ("discussions.manage_discussion.pin", "POST"): "404",
    ("discussions.manage_discussion.hide", "POST"): "404",
}


def test_a_removed_member_is_refused_everywhere_and_their_words_stay(app, client, auth):
    assert set(REMOVED) == set(TABLE)
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        event = make_event(group, title="Lantern night")
        author = make_user(first_name="Rae", last_name="Moss")
        add_member(group, author)
        comment = make_comment(event, author, "Who brings the lanterns?")
        discussion = start_discussion(author, group, "Lantern walk", "Who is in?")
        db.session.execute(
            sa.delete(Membership).where(
                Membership.group_id == group.id, Membership.user_id == author.id
            )
        )
        db.session.commit()
        world = World(event.id, comment.id, group.slug, discussion.id)
        email, owner_email = author.email, owner.email
    auth.login(email)
    for (endpoint, method), expected in REMOVED.items():
        url, data = REQUESTS[endpoint, method](world)
        assert_answer(app, client, method, url, data, expected)
    assert "Who brings the lanterns?" not in client.get(f"/events/{world.event_id}/comments").text
    # What they wrote stays, under their name, for the group.
    auth.logout()
    auth.login(owner_email)
    page = client.get(f"/events/{world.event_id}/comments").text
    assert "Who brings the lanterns?" in page and "Rae Moss" in page
    assert "Rae Moss" in client.get(f"/discussions/{world.discussion}").text
