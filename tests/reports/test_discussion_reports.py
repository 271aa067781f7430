"""A group's discussion reported: from its page, by a member who did not start it; the
organisers hide it from their queue, and it is gone for the members (kept, marked, for
the organisers), the reporter told the outcome."""

import pytest
import sqlalchemy as sa

from tests.polls.support import logged_in
from tests.reports.factories import make_room
from webapp.accounts.models import User
from webapp.discussions.models import Discussion
from webapp.discussions.services import start_discussion
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.reports.models import Report, ReportKind, ReportState


@pytest.fixture
def room(app):
    with app.app_context():
        room = make_room()
        starter = db.session.scalar(sa.select(User).where(User.email == room.members[0]))
        group = db.session.get(Group, room.group_id)
        discussion = start_discussion(starter, group, "Cheap pills", "Buy them here")
        db.session.commit()
        return room, discussion.id


def test_a_reported_discussion_is_hidden_from_the_queue(app, room, mailbox):
    room, number = room
    starter = logged_in(app, room.members[0])
    page = starter.get(f"/discussions/{number}")
    assert "Report this discussion" not in page.text
    assert starter.get(f"/discussions/{number}/report").status_code == 403
    member = logged_in(app, room.members[1])
    assert "Report this discussion" in member.get(f"/discussions/{number}").text
    response = member.submit(f"/discussions/{number}/report", {"reason": "spam", "detail": ""})
    assert response.status_code == 303
    assert response.location == f"/discussions/{number}#comments"
    with app.app_context():
        report = db.session.scalar(
            sa.select(Report).where(
                Report.kind == ReportKind.DISCUSSION, Report.discussion_id == number
            )
        )
        report_id = report.id
    organiser = logged_in(app, room.organiser)
    queue = organiser.get(f"/groups/{room.slug}/manage/reports")
    assert "Hide the discussion" in queue.text
    decided = organiser.submit(f"/groups/{room.slug}/manage/reports/{report_id}/hide")
    assert decided.status_code == 303
    with app.app_context():
        assert db.session.get(Discussion, number).is_hidden
        assert db.session.get(Report, report_id).state == ReportState.RESOLVED
    assert member.get(f"/discussions/{number}").status_code == 404
    assert "Hidden by an organiser" in organiser.get(f"/discussions/{number}").text
    told = [m for m in mailbox.messages(room.members[1]) if "report" in m["Subject"].lower()]
    assert told
