"""Who may report, read their reports and decide them: every reports route x every kind
of person -> status, for a public and a private group. The harness is
tests/support/authz.py: a new route without a row fails test_every_route_has_a_row, and
a refused request leaves every table as it was. (The admins' page of reports is in
tests/admin/test_authorization.py.)

Reporting takes an active member (co-hosts, organisers and owners are members too): a
site admin who is not one may see but not report (403); a comment is read by members
alone, so others get 404 for it. The queue and its actions are the group's organisers'.
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.reports.factories import make_comment, make_report
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from webapp.discussions.services import start_discussion
from webapp.extensions import db
from webapp.reports.models import ReportKind

PREFIXES = ("reports.",)
WORLDS = ("public", "private")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
COMMENT_FORM = (
    "login 404 404 200 200 200 200 403",
    "login 404 404 200 200 200 200 403",
)
REPORT_FORM = (
    "login 403 403 200 200 200 200 403",
    "login 404 404 200 200 200 200 403",
)
MINE = ("login 200 200 200 200 200 200 200",) * 2
QUEUE = (
    "login 403 403 403 403 200 200 200",
    "login 404 404 403 403 200 200 200",
)


def posted(lines):
    return tuple(line.replace("200", "303") for line in lines)


TABLE = {
    ("reports.report_a_comment", "GET"): COMMENT_FORM,
    ("reports.report_a_comment", "POST"): posted(COMMENT_FORM),
    ("reports.report_a_discussion", "GET"): COMMENT_FORM,
    ("reports.report_a_discussion", "POST"): posted(COMMENT_FORM),
    ("reports.report_an_event", "GET"): REPORT_FORM,
    ("reports.report_an_event", "POST"): posted(REPORT_FORM),
    ("reports.report_a_person", "GET"): REPORT_FORM,
    ("reports.report_a_person", "POST"): posted(REPORT_FORM),
    ("reports.mine", "GET"): MINE,
    ("reports.manage.queue", "GET"): QUEUE,
    ("reports.manage.act", "POST"): posted(QUEUE),
}


class World(NamedTuple):
    slug: str
    event_id: int
    comment_id: int
    person_id: int
    report_id: int
    discussion_id: int


def build_world(kind):
    """An owner's group and event; Cy's comment under it and Cy's discussion in the group;
    Ann, a member, whom Cy reported."""
    owner = make_user()
    group = make_group(owner, visibility=kind)
    event = make_event(group, title="Lantern night", created_by_id=owner.id)
    cy = make_user(first_name="Cy")
    ann = make_user(first_name="Ann")
    for person in (cy, ann):
        add_member(group, person)
    comment = make_comment(event, cy)
    discussion = start_discussion(cy, group, "Lanterns", "Paper or glass?")
    db.session.commit()
    report = make_report(group, cy, ReportKind.PERSON, ann.id, about_user_id=ann.id)
    world = World(group.slug, event.id, comment.id, ann.id, report.id, discussion.id)
    return owner, group, world


REPORT = {"reason": "spam", "detail": "Again"}
REQUESTS = {
    ("reports.report_a_comment", "GET"): lambda w: (f"/comments/{w.comment_id}/report", None),
    ("reports.report_a_comment", "POST"): lambda w: (f"/comments/{w.comment_id}/report", REPORT),
    ("reports.report_a_discussion", "GET"): lambda w: (
        f"/discussions/{w.discussion_id}/report",
        None,
    ),
    ("reports.report_a_discussion", "POST"): lambda w: (
        f"/discussions/{w.discussion_id}/report",
        REPORT,
    ),
    ("reports.report_an_event", "GET"): lambda w: (f"/events/{w.event_id}/report", None),
    ("reports.report_an_event", "POST"): lambda w: (f"/events/{w.event_id}/report", REPORT),
    ("reports.report_a_person", "GET"): lambda w: (
        f"/groups/{w.slug}/members/{w.person_id}/report",
        None,
    ),
    ("reports.report_a_person", "POST"): lambda w: (
        f"/groups/{w.slug}/members/{w.person_id}/report",
        REPORT,
    ),
    ("reports.mine", "GET"): lambda w: ("/reports", None),
    ("reports.manage.queue", "GET"): lambda w: (f"/groups/{w.slug}/manage/reports", None),
    ("reports.manage.act", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/reports/{w.report_id}/dismiss",
        {},
    ),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, PREFIXES[0])),
)
def test_who_may_report_and_decide(
    app, client, shared_world, endpoint, method, kind, role, expected
):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )
