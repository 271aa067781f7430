"""Who may do what with an event's files: every files route x every kind of person ->
status, for an event of a public group, an event of a private group, and a draft event
(of a public group). The harness is tests/support/authz.py: a new files route without a row fails
test_every_route_has_a_row, and a refused request (or any GET) leaves every table as it was.

Seeing (the list, a download, a thumbnail) is seeing the event: a private group's files
are 404 to outsiders, a draft's to everyone but its organisers. Uploading takes an active
member (a site admin who is not one may not: 403). Deleting takes the uploader (here the
group's owner) or an organiser or the co-host of the event, site admins included.
"""

from typing import NamedTuple

import pytest
import sqlalchemy as sa
from flask import current_app

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.files.support import empty_upload_dir, make_file, multipart, pdf_bytes, png_bytes
from tests.groups.factories import make_group
from tests.support.authz import actor_for, assert_shared_cell, assert_table_covers, cases
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.files.thumbnails import make_thumbnail
from webapp.groups.models import Membership

PREFIXES = ("files.",)
WORLDS = ("public", "private", "draft")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
SEE = (
    "200 200 200 200 200 200 200 200",
    "404 404 404 200 200 200 200 200",
    "404 404 404 404 200 200 200 200",
)
UPLOAD = (
    "login 403 403 303 303 303 303 403",
    "login 404 404 303 303 303 303 403",
    "login 404 404 404 303 303 303 403",
)
DELETE_PAGE = (
    "login 403 403 403 200 200 200 200",
    "login 404 404 403 200 200 200 200",
    "login 404 404 404 200 200 200 200",
)
DELETE = tuple(line.replace("200", "303") for line in DELETE_PAGE)

TABLE = {
    ("files.listing", "GET"): SEE,
    ("files.listing", "POST"): UPLOAD,
    ("files.download", "GET"): SEE,
    ("files.thumbnail", "GET"): SEE,
    ("files.delete", "GET"): DELETE_PAGE,
    ("files.delete", "POST"): DELETE,
}


class World(NamedTuple):
    event_id: int
    file_id: int


def build_world(kind):
    """An owner's group, an event of it (a draft in the draft world), and a photo the
    owner uploaded to it, with its thumbnail made."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = EventStatus.DRAFT if kind == "draft" else EventStatus.PUBLISHED
    event = make_event(group, title="Lantern night", status=status)
    stored = make_file(event, owner, name="lanterns.png", data=png_bytes())
    assert make_thumbnail(stored.id)
    return owner, group, World(event.id, stored.id)


def files(w, rest=""):
    return f"/events/{w.event_id}/files{rest}"


REQUESTS = {
    ("files.listing", "GET"): lambda w: (files(w), None),
    ("files.listing", "POST"): lambda w: (files(w), {"file": ("minutes.pdf", pdf_bytes())}),
    ("files.download", "GET"): lambda w: (files(w, f"/{w.file_id}"), None),
    ("files.thumbnail", "GET"): lambda w: (files(w, f"/{w.file_id}/thumbnail"), None),
    ("files.delete", "GET"): lambda w: (files(w, f"/{w.file_id}/delete"), None),
    ("files.delete", "POST"): lambda w: (files(w, f"/{w.file_id}/delete"), {}),
}


class MultipartClient:
    """The test client, sending a form with a file as the browser does."""

    def __init__(self, client):
        self.client = client

    def get(self, url):
        with self.client.get(url) as response:
            response.get_data()
        return response

    def submit(self, url, data):
        if data and "file" in data:
            content_type, body = multipart(data)
            return self.client.submit(url, body, content_type=content_type)
        return self.client.submit(url, data)

    def set_cookie(self, key, value):
        self.client.set_cookie(key, value)


@pytest.fixture(autouse=True)
def _no_objects_before(request, app):
    # A shared world keeps its objects with its rows, and empties the disk when it is built.
    if "shared_world" not in request.fixturenames:
        empty_upload_dir(app)


def build_world_on_an_empty_disk(kind):
    empty_upload_dir(current_app)
    return build_world(kind)


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "files.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app,
        MultipartClient(client),
        shared_world,
        build_world_on_an_empty_disk,
        REQUESTS,
        endpoint,
        method,
        kind,
        role,
        expected,
    )


# A member's own file: theirs to delete wherever they see it; after leaving the group, a
# public group's still (they see its events), a private group's no more (they do not).
OWN_FILE = {
    ("public", True): 303,
    ("private", True): 303,
    ("draft", True): 404,
    ("public", False): 303,
    ("private", False): 404,
}


@pytest.mark.parametrize(("kind", "still_member"), list(OWN_FILE))
def test_an_uploader_deletes_their_own_file(app, client, auth, kind, still_member):
    with app.app_context():
        owner, group, world = build_world(kind)
        member = actor_for("member", owner, group)
        event = db.session.get(Event, world.event_id)
        own = make_file(event, member, name="mine.pdf")
        if not still_member:
            db.session.execute(sa.delete(Membership).where(Membership.user_id == member.id))
            db.session.commit()
        email, file_id = member.email, own.id
    auth.login(email)
    url = f"/events/{world.event_id}/files/{file_id}/delete"
    assert client.submit(url, {}).status_code == OWN_FILE[kind, still_member]


def test_one_groups_organiser_cannot_delete_another_groups_file(app, client, auth):
    with app.app_context():
        mine = make_group(make_user(), name="Mine")
        email = actor_for("organiser", None, mine).email
        _, _, theirs = build_world("public")
    auth.login(email)
    url, data = REQUESTS["files.delete", "POST"](theirs)
    assert client.submit(url, data).status_code == 403
    url, data = REQUESTS["files.listing", "POST"](theirs)
    assert MultipartClient(client).submit(url, data).status_code == 403
