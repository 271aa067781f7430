"""Who may do what with "Your data": every route x every kind of person -> status.

Everything here is one's own: a visitor is sent to log in, and a logged-in person sees
their own data page and may ask for a download or delete their own account (each role
deletes its own account here, with its own password). The download of the owner's zip
is the owner's alone: 404 to everyone else, a site admin included. Without htmx the
live part's address only leads to the page. The harness is tests/support/authz.py: a refused
request (or any GET) must leave every table as it was.
"""

from datetime import timedelta
from typing import NamedTuple

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.groups.factories import make_group
from tests.support.authz import assert_cell, assert_table_covers, cases
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.storage import get_storage
from webapp.your_data.models import DataExport, ExportState

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

PREFIXES = (
    "accounts.your_data",
    "accounts.start_export",
    "accounts.export_live",
    "accounts.download_export",
    "accounts.delete",
)
WORLDS = ("own",)

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
TABLE = {
    ("accounts.your_data", "GET"): ("login 200 200 200 200 200 200 200",),
    ("accounts.start_export", "POST"): ("login 303 303 303 303 303 303 303",),
    ("accounts.export_live", "GET"): ("303 303 303 303 303 303 303 303",),
    ("accounts.download_export", "GET"): ("login 404 404 404 404 404 200 404",),
    ("accounts.delete", "GET"): ("login 200 200 200 200 200 200 200",),
    # Each deletes their own account; the owner is alone in the group, which goes too.
    ("accounts.delete", "POST"): ("login 303 303 303 303 303 303 303",),
}


class World(NamedTuple):
    export_id: int


def build_world(kind):
    """An owner of a group, with a ready download of their data."""
    owner = make_user()
    group = make_group(owner)
    key = get_storage().save(b"PK\x05\x06" + bytes(18), ".zip")
    now = utcnow()
    export = DataExport(
        user_id=owner.id,
        state=ExportState.READY,
        storage_key=key,
        size=22,
        ready_at=now,
        expires_at=now + timedelta(days=7),
    )
    db.session.add(export)
    db.session.commit()
    return owner, group, World(export.id)


REQUESTS = {
    ("accounts.your_data", "GET"): lambda w: ("/settings/data", None),
    ("accounts.start_export", "POST"): lambda w: ("/settings/data/export", {}),
    ("accounts.export_live", "GET"): lambda w: (f"/settings/data/export/{w.export_id}/live", None),
    ("accounts.download_export", "GET"): lambda w: (
        f"/settings/data/export/{w.export_id}/download",
        None,
    ),
    ("accounts.delete", "GET"): lambda w: ("/settings/delete", None),
    ("accounts.delete", "POST"): lambda w: ("/settings/delete", {"password": DEFAULT_PASSWORD}),
}


class ClosingClient:
    """The test client, reading and closing each answer (a download is a file)."""

    def __init__(self, client):
        self.client = client

    def get(self, url):
        with self.client.get(url) as response:
            response.get_data()
        return response

    def submit(self, url, data):
        return self.client.submit(url, data)


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "accounts.")),
)
def test_who_may_do_what(app, client, auth, endpoint, method, kind, role, expected):
    assert_cell(
        app,
        ClosingClient(client),
        auth,
        build_world,
        REQUESTS,
        endpoint,
        method,
        kind,
        role,
        expected,
    )
