"""The report rules called directly: a group's discussion is a fourth kind, a person is
reported in a group they are in (never oneself), a new report joins its case where the
case is (passed up: with the admins), and a decision once made is not made again."""

import pytest
import sqlalchemy as sa

from tests.reports.factories import reports_about
from webapp.accounts.models import User
from webapp.database.unit_of_work import RuleError
from webapp.discussions.models import Discussion
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.reports.models import ReportKind, ReportOutcome, ReportState
from webapp.reports.services import (
    ReportDetails,
    dismiss_report,
    pass_up,
    report_discussion,
    report_person,
)

SPAM = ReportDetails("spam")


def people(room):
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    return users, db.session.get(Group, room.group_id)


def test_a_groups_discussion_is_reported_like_the_rest(app, room):
    with app.test_request_context():
        users, group = people(room)
        starter = users[room.members[0]]
        discussion = Discussion(group_id=group.id, title="Car pooling", started_by_id=starter.id)
        db.session.add(discussion)
        db.session.flush()
        report = report_discussion(users[room.members[1]], discussion, SPAM)
        assert (report.kind, report.state, report.about_user_id) == (
            ReportKind.DISCUSSION,
            ReportState.OPEN,
            starter.id,
        )
        dismiss_report(users[room.organiser], report)
        db.session.commit()
        (decided,) = reports_about(ReportKind.DISCUSSION, discussion.id)
        assert decided.outcome == ReportOutcome.DISMISSED


def test_a_person_is_reported_in_a_group_they_are_in_and_never_oneself(app, room):
    with app.test_request_context():
        users, group = people(room)
        reporter = users[room.members[1]]
        with pytest.raises(RuleError, match="cannot report yourself"):
            report_person(reporter, group, reporter, SPAM)
        with pytest.raises(RuleError, match="not a member"):
            report_person(reporter, group, users[room.outsider], SPAM)
        with pytest.raises(RuleError, match="Say what is wrong"):
            report_person(reporter, group, users[room.members[0]], ReportDetails("other", "  "))


def test_a_new_report_joins_a_case_passed_up_and_a_decision_is_made_once(app, room):
    with app.test_request_context():
        users, group = people(room)
        subject = users[room.members[0]]
        first = report_person(users[room.members[1]], group, subject, SPAM)
        pass_up(users[room.organiser], first)
        with pytest.raises(RuleError, match="just decided"):
            pass_up(users[room.owner], first)
        second = report_person(users[room.members[2]], group, subject, SPAM)
        assert second.state == ReportState.PASSED_UP
        # Organisers no longer decide it; a site admin does, for both at once.
        with pytest.raises(RuleError, match="just decided"):
            dismiss_report(users[room.organiser], second)
        admin = users[room.owner]
        admin.is_site_admin = True
        assert len(dismiss_report(admin, second)) == 2
