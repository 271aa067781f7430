"""Deciding reports: the organisers' queue (as a page and a fragment) hides a comment,
removes the person behind a thing, dismisses or passes up, deciding every report of the
same thing at once; a second decision hears that one came first; the site admins decide
every waiting case and may deactivate an account. Each reporter is emailed the outcome,
naming nobody else, and sees it under "Your reports"; all of it is in the audit log."""

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.polls.support import logged_in
from tests.reports.factories import reports_about
from webapp.accounts.models import User
from webapp.audit.models import AuditAction, AuditEntry
from webapp.discussions.models import Comment
from webapp.extensions import db
from webapp.groups.models import Membership
from webapp.reports.models import ReportKind, ReportOutcome, ReportState


def queue_url(room):
    return f"/groups/{room.slug}/manage/reports"


def reported_by_two(app, room, kind="comment"):
    """Members 1 and 2 report the comment (or member 0, as a person); the case's report."""
    url = (
        f"/comments/{room.comment_id}/report"
        if kind == "comment"
        else f"/groups/{room.slug}/members/{room.member_ids[0]}/report"
    )
    for email in room.members[1:3]:
        assert logged_in(app, email).submit(url, {"reason": "spam"}).status_code == 303
    with app.app_context():
        subject = room.comment_id if kind == "comment" else room.member_ids[0]
        return reports_about(ReportKind(kind), subject)[0].id


def outcome_mail(mailbox, email):
    return [m for m in mailbox.messages(email) if m["Subject"].startswith("Your report in")]


def test_the_queue_shows_one_case_for_the_reports_of_one_thing(app, room):
    reported_by_two(app, room)
    organiser = logged_in(app, room.organiser)
    page = organiser.get(queue_url(room))
    assert page.status_code == 200
    assert "A comment by Mem0 Lee under “Lantern walk”" in page.text and "2 reports" in page.text
    assert "Buy cheap pills" in page.text
    fragment = organiser.get(queue_url(room), headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="group-reports"')


def test_hiding_through_the_queue_hides_the_comment_and_tells_each_reporter(app, room, mailbox):
    report_id = reported_by_two(app, room)
    organiser = logged_in(app, room.organiser)
    response = organiser.submit(f"{queue_url(room)}/{report_id}/hide")
    assert response.status_code == 303 and response.location == queue_url(room)
    with app.app_context():
        assert db.session.get(Comment, room.comment_id).is_hidden
        reports = reports_about(ReportKind.COMMENT, room.comment_id)
        assert {(r.state, r.outcome) for r in reports} == {
            (ReportState.RESOLVED, ReportOutcome.HIDDEN)
        }
        assert all(r.acted_by_id == room.organiser_id and r.acted_at for r in reports)
        actions = set(db.session.scalars(sa.select(AuditEntry.action)))
        assert {AuditAction.REPORT_FILED, AuditAction.REPORT_RESOLVED} <= actions
        assert AuditAction.COMMENT_HIDDEN in actions
    for reporter, other in ((room.members[1], room.members[2]), (room.members[2], room.members[1])):
        (message,) = outcome_mail(mailbox, reporter)
        text = mailbox.text(message)
        assert "what you reported is now hidden" in text
        assert other not in text
        assert ("Mem2 Lee" if other == room.members[2] else "Mem1 Lee") not in text
    mine = logged_in(app, room.members[1]).get("/reports")
    assert "Resolved: Hidden" in mine.text
    assert "No reports are waiting." in organiser.get(queue_url(room)).text


def test_a_second_decision_hears_that_one_came_first(app, room):
    report_id = reported_by_two(app, room)
    organiser = logged_in(app, room.organiser)
    owner = logged_in(app, room.owner)
    assert organiser.submit(f"{queue_url(room)}/{report_id}/dismiss").status_code == 303
    # Decided: it is no longer in the queue.
    assert owner.submit(f"{queue_url(room)}/{report_id}/hide").status_code == 404


def test_removing_the_person_through_the_queue(app, room, mailbox):
    report_id = reported_by_two(app, room, kind="person")
    organiser = logged_in(app, room.organiser)
    answer = organiser.submit(f"{queue_url(room)}/{report_id}/remove", htmx=True)
    assert answer.status_code == 200 and 'id="group-reports"' in answer.text
    with app.app_context():
        assert (
            db.session.scalar(sa.select(Membership).where(Membership.user_id == room.member_ids[0]))
            is None
        )
        (first, second) = reports_about(ReportKind.PERSON, room.member_ids[0])
        assert first.outcome == second.outcome == ReportOutcome.REMOVED
    assert "is no longer a member" in mailbox.text(outcome_mail(mailbox, room.members[1])[0])


def test_passing_up_goes_to_the_site_admins_who_deactivate(app, room, mailbox):
    with app.app_context():
        admin = make_user(is_site_admin=True).email
    report_id = reported_by_two(app, room, kind="person")
    organiser = logged_in(app, room.organiser)
    assert organiser.submit(f"{queue_url(room)}/{report_id}/pass-up").status_code == 303
    with app.app_context():
        states = {r.state for r in reports_about(ReportKind.PERSON, room.member_ids[0])}
        assert states == {ReportState.PASSED_UP}
    assert [m for m in mailbox.messages(admin) if "site admins" in m["Subject"]]
    assert "Waiting for the site admins" in logged_in(app, room.members[1]).get("/reports").text
    site = logged_in(app, admin)
    page = site.get("/admin/reports")
    assert page.status_code == 200 and "The member Mem0 Lee" in page.text
    assert site.submit(f"/admin/reports/{report_id}/deactivate").status_code == 303
    with app.app_context():
        assert not db.session.get(User, room.member_ids[0]).active
        reports = reports_about(ReportKind.PERSON, room.member_ids[0])
        assert {r.outcome for r in reports} == {ReportOutcome.DEACTIVATED}
    assert "account of the person" in mailbox.text(outcome_mail(mailbox, room.members[2])[0])


def test_hiding_an_event_is_refused_with_422(app, room):
    assert (
        logged_in(app, room.members[1])
        .submit(f"/events/{room.event_id}/report", {"reason": "spam"})
        .status_code
        == 303
    )
    with app.app_context():
        report_id = reports_about(ReportKind.EVENT, room.event_id)[0].id
        admin = make_user(is_site_admin=True).email
    # The event is the owner's: the case is the admins'.
    answer = logged_in(app, admin).submit(f"/admin/reports/{report_id}/hide")
    assert (
        answer.status_code == 422 and "Only a comment or a discussion can be hidden" in answer.text
    )
    with app.app_context():
        assert reports_about(ReportKind.EVENT, room.event_id)[0].state == ReportState.PASSED_UP
