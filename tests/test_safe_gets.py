"""Every GET is safe: requesting every GET route, as every kind of person (and a member
deactivated while logged in), plain and as htmx, changes no row of any table.

The routes come from the URL map (tests/support/crawl.py), with real objects in their URLs
(tests/support/fuzz.py's world: an event with an RSVP, a file, a task, a poll, an
invitation, live emailed links). A GET that writes (a last-seen stamp, a counter, a link
used up on sight) fails here; no table is excepted.
"""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.conftest import Auth
from tests.groups.factories import add_member
from tests.support import every_table
from tests.support.fuzz import ROLES, crawl_pages, role_clients
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Group


# Every GET route as every role: a few thousand requests, which grow with the routes and
# take several times longer on a machine busy with other work than on an idle one.
@pytest.mark.timeout(240)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_no_get_route_changes_any_table_as_any_role(app, fuzz_world, htmx):
    clients = role_clients(app, Auth)
    clients["deactivated"] = deactivated_member(app, fuzz_world)
    before = every_table.rows(app)

    answers = list(crawl_pages(app, clients, fuzz_world, htmx=htmx))

    assert {role for role, *_ in answers} == {*ROLES, "deactivated"}
    reached = {url for _, url, response in answers if response.status_code == 200}
    assert len(reached) > 50, f"the crawl reached too few pages: {sorted(reached)}"
    after = every_table.rows(app)
    changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert not changed, f"GET requests changed tables: {sorted(changed)}\n{changed}"


def deactivated_member(app, world):
    """A client logged in as a member whose account was deactivated since."""
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == world.slug))
        add_member(group, make_user(email="gone@example.org"))
    client = app.test_client()
    assert Auth(client).login("gone@example.org").status_code == 303
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.email == "gone@example.org").values(active=False)
        )
        db.session.commit()
    settings = client.get("/settings")
    assert settings.status_code in (302, 303), "a deactivated account is still let in"
    assert settings.location.startswith("/login")
    return client


def test_the_comparison_sees_a_change(app, fuzz_world):
    """The control: the same snapshot does tell when a request writes."""
    client = role_clients(app, Auth, roles=("member",))["member"]
    before = every_table.rows(app)

    response = client.submit(f"/groups/{fuzz_world.slug}/leave")

    assert response.status_code == 303
    assert every_table.rows(app) != before
