"""Who may open the admin's pages: every /admin route x every kind of person. Everyone
but a site admin gets 404 (anonymous visitors too: no login redirect, nothing that says
the pages exist); a site admin gets the page, or the action and a redirect.

The harness is tests/support/authz.py: a new admin route without a row fails
test_every_route_has_a_row, and a refused request (or any GET) changes nothing.
"""

import pytest

from tests.accounts.factories import make_user
from tests.admin.support import admin_world, failed_job, failed_message
from tests.groups.factories import make_group
from tests.reports.factories import make_report
from tests.support.authz import assert_cell, assert_table_covers, cases
from webapp.reports.models import ReportKind, ReportState

PREFIXES = ("admin.",)
WORLDS = ("public",)

# In the order of ROLES: visitor outsider pending member cohost organiser owner admin
PAGE = ("404 404 404 404 404 404 404 200",)
ACTION = ("404 404 404 404 404 404 404 303",)

TABLE = {
    ("admin.index", "GET"): PAGE,
    ("admin.users", "GET"): PAGE,
    ("admin.groups", "GET"): PAGE,
    ("admin.audit", "GET"): PAGE,
    ("admin.reports", "GET"): PAGE,
    ("admin.report_action", "POST"): ACTION,
    ("admin.outbox", "GET"): PAGE,
    ("admin.jobs", "GET"): PAGE,
    ("admin.user_action", "GET"): PAGE,
    ("admin.user_action", "POST"): ACTION,
    ("admin.group_action", "GET"): PAGE,
    ("admin.group_action", "POST"): ACTION,
    ("admin.email_action", "GET"): PAGE,
    ("admin.email_action", "POST"): ACTION,
    ("admin.job_action", "GET"): PAGE,
    ("admin.job_action", "POST"): ACTION,
}

REQUESTS = {
    ("admin.index", "GET"): lambda w: ("/admin", None),
    ("admin.users", "GET"): lambda w: ("/admin/users?q=pat", None),
    ("admin.groups", "GET"): lambda w: ("/admin/groups?q=allot", None),
    ("admin.audit", "GET"): lambda w: ("/admin/audit?action=joined", None),
    ("admin.reports", "GET"): lambda w: ("/admin/reports", None),
    ("admin.report_action", "POST"): lambda w: (f"/admin/reports/{w['report']}/dismiss", {}),
    ("admin.outbox", "GET"): lambda w: ("/admin/outbox?state=failed", None),
    ("admin.jobs", "GET"): lambda w: ("/admin/jobs", None),
    ("admin.user_action", "GET"): lambda w: (f"/admin/users/{w['person']}/deactivate", None),
    ("admin.user_action", "POST"): lambda w: (f"/admin/users/{w['person']}/deactivate", {}),
    ("admin.group_action", "GET"): lambda w: (f"/admin/groups/{w['target']}/suspend", None),
    ("admin.group_action", "POST"): lambda w: (f"/admin/groups/{w['target']}/suspend", {}),
    ("admin.email_action", "GET"): lambda w: (f"/admin/outbox/{w['message']}/retry", None),
    ("admin.email_action", "POST"): lambda w: (f"/admin/outbox/{w['message']}/discard", {}),
    ("admin.job_action", "GET"): lambda w: (f"/admin/jobs/{w['job']}/retry", None),
    ("admin.job_action", "POST"): lambda w: (f"/admin/jobs/{w['job']}/discard", {}),
}


def build_world(kind):
    world = admin_world()
    # The roles' group is the world's; the admin acts on another one, and on someone else.
    target = make_group(make_user(), name="Another group")
    values = {
        "person": world["person"].id,
        "target": target.id,
        "message": failed_message().id,
        "job": failed_job(),
        # A report passed up to the site admins, about the world's event.
        "report": make_report(
            world["group"],
            make_user(),
            ReportKind.EVENT,
            world["event"].id,
            state=ReportState.PASSED_UP,
        ).id,
    }
    return world["owner"], world["group"], values


def test_every_route_has_a_row(app):
    for prefix in PREFIXES:
        assert_table_covers(
            app,
            prefix,
            {k: v for k, v in TABLE.items() if k[0].startswith(prefix)},
            {k: v for k, v in REQUESTS.items() if k[0].startswith(prefix)},
        )


@pytest.mark.parametrize(
    ("endpoint", "method", "world", "role", "expected"), list(cases(TABLE, WORLDS, "admin."))
)
def test_who_may_do_what(app, client, auth, endpoint, method, world, role, expected):
    assert_cell(app, client, auth, build_world, REQUESTS, endpoint, method, world, role, expected)
