"""Reporting through HTTP: the form as a page and as a fragment, bad input as 422 beside
its field, once per thing (a second report, and a race, a friendly answer), a removed
member reports no more, reports about an organiser go to the site admins, and the
organisers are emailed of a new case (once per case, as their settings allow)."""

import sqlalchemy as sa

from tests.polls.support import logged_in
from tests.reports.factories import reports_about
from tests.support.auth import field_error
from tests.support.races import post_at_once, tabs_of
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Membership
from webapp.reports.models import ReportKind, ReportState


def event_report_url(room):
    return f"/events/{room.event_id}/report"


def comment_report_url(room):
    return f"/comments/{room.comment_id}/report"


def person_report_url(room, user_id):
    return f"/groups/{room.slug}/members/{user_id}/report"


def report_mail(mailbox, email):
    return [m for m in mailbox.messages(email) if "was reported" in m["Subject"]]


def test_a_member_reports_a_comment_and_the_organisers_hear_of_it(app, room, mailbox):
    member = logged_in(app, room.members[1])
    page = member.get(comment_report_url(room))
    assert page.status_code == 200 and "Report a comment by Mem0" in page.text
    response = member.submit(comment_report_url(room), {"reason": "spam", "detail": " pills "})
    assert response.status_code == 303
    # Back to the comment, where it was read.
    expected = f"/events/{room.event_id}/comments#comment-{room.comment_id}"
    assert response.location == expected
    with app.app_context():
        (report,) = reports_about(ReportKind.COMMENT, room.comment_id)
        assert (report.state, report.reason, report.detail) == (ReportState.OPEN, "spam", "pills")
        assert report.about_user_id == room.member_ids[0]
    for manager in (room.owner, room.organiser):
        (message,) = report_mail(mailbox, manager)
        assert "List-Unsubscribe" in message
    assert report_mail(mailbox, room.members[1]) == []


def test_the_form_as_a_fragment_thanks_in_place(app, room):
    member = logged_in(app, room.members[1])
    fragment = member.get(event_report_url(room), headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith("<form") and "<html" not in fragment.text
    answer = member.submit(event_report_url(room), {"reason": "off_topic"}, htmx=True)
    assert answer.status_code == 200
    assert 'id="report-form"' in answer.text and "Thank you" in answer.text


def test_bad_input_answers_422_beside_the_field(app, room):
    member = logged_in(app, room.members[1])
    no_reason = member.submit(event_report_url(room), {"detail": "hm"})
    assert no_reason.status_code == 422
    assert field_error(no_reason, "reason")
    bad_reason = member.submit(event_report_url(room), {"reason": "nonsense"})
    assert bad_reason.status_code == 422 and field_error(bad_reason, "reason")
    too_long = member.submit(event_report_url(room), {"reason": "spam", "detail": "x" * 1001})
    assert too_long.status_code == 422 and field_error(too_long, "detail")
    other_alone = member.submit(event_report_url(room), {"reason": "other"}, htmx=True)
    assert other_alone.status_code == 422
    assert field_error(other_alone, "detail") == "Say what is wrong, in a few words."
    with app.app_context():
        assert reports_about(ReportKind.EVENT, room.event_id) == []


def test_nobody_reports_the_same_thing_twice(app, room):
    member = logged_in(app, room.members[1])
    assert member.submit(comment_report_url(room), {"reason": "spam"}).status_code == 303
    again = member.submit(comment_report_url(room), {"reason": "harassment"})
    assert again.status_code == 422
    assert "You have already reported this." in again.text
    with app.app_context():
        assert len(reports_about(ReportKind.COMMENT, room.comment_id)) == 1


def test_a_race_of_the_same_report_keeps_one_and_answers_the_others_kindly(app, room):
    tabs = tabs_of(app, room.members[1], 4)
    statuses = post_at_once(tabs, event_report_url(room), {"reason": "spam"})
    assert statuses.count(303) == 1
    assert sorted(statuses) == [303, 422, 422, 422]
    with app.app_context():
        assert len(reports_about(ReportKind.EVENT, room.event_id)) == 1


def test_reports_of_one_thing_make_one_case_and_mail_once(app, room, mailbox):
    for email in room.members[1:]:
        assert (
            logged_in(app, email).submit(comment_report_url(room), {"reason": "spam"}).status_code
            == 303
        )
    assert len(report_mail(mailbox, room.organiser)) == 1


def test_a_report_about_an_organiser_goes_straight_to_the_site_admins(app, room, mailbox):
    from tests.accounts.factories import make_user

    with app.app_context():
        admin = make_user(is_site_admin=True).email
    member = logged_in(app, room.members[1])
    # The event was made by the owner; the organiser is reported as a person.
    assert member.submit(event_report_url(room), {"reason": "spam"}).status_code == 303
    response = member.submit(person_report_url(room, room.organiser_id), {"reason": "harassment"})
    assert response.status_code == 303
    with app.app_context():
        for kind, subject in (
            (ReportKind.EVENT, room.event_id),
            (ReportKind.PERSON, room.organiser_id),
        ):
            (report,) = reports_about(kind, subject)
            assert report.state == ReportState.PASSED_UP
    assert report_mail(mailbox, room.organiser) == [] and report_mail(mailbox, room.owner) == []
    assert len(report_mail(mailbox, admin)) == 2
    queue = logged_in(app, room.organiser).get(f"/groups/{room.slug}/manage/reports")
    assert "No reports are waiting." in queue.text
    assert "Lantern walk" in logged_in(app, admin).get("/admin/reports").text


def test_a_removed_member_can_no_longer_report(app, room):
    member = logged_in(app, room.members[1])
    with app.app_context():
        db.session.execute(sa.delete(Membership).where(Membership.user_id == room.member_ids[1]))
        db.session.commit()
    assert member.get(event_report_url(room)).status_code == 403
    assert member.submit(event_report_url(room), {"reason": "spam"}).status_code == 403
    assert (
        member.submit(person_report_url(room, room.member_ids[0]), {"reason": "spam"}).status_code
        == 403
    )
    with app.app_context():
        assert reports_about(ReportKind.EVENT, room.event_id) == []


def test_nobody_reports_themselves_or_a_stranger(app, room):
    member = logged_in(app, room.members[1])
    assert member.get(person_report_url(room, room.member_ids[1])).status_code == 403
    with app.app_context():
        stranger = db.session.scalar(sa.select(User.id).where(User.email == room.outsider))
    assert member.get(person_report_url(room, stranger)).status_code == 404
    # One's own comment neither.
    assert logged_in(app, room.members[0]).get(comment_report_url(room)).status_code == 403


def test_reports_are_limited_per_member(app, room):
    app.config["RATE_LIMIT_REPORT"] = "1 per day"
    try:
        member = logged_in(app, room.members[1])
        assert member.submit(event_report_url(room), {"reason": "spam"}).status_code == 303
        assert member.submit(comment_report_url(room), {"reason": "spam"}).status_code == 429
    finally:
        app.config["RATE_LIMIT_REPORT"] = "5 per hour;20 per day"


def test_the_event_page_links_to_the_form_for_members_only(app, room):
    page = f"/events/{room.event_id}-lantern-walk"
    assert event_report_url(room) in logged_in(app, room.members[1]).get(page).text
    assert event_report_url(room) not in logged_in(app, room.outsider).get(page).text
    assert event_report_url(room) not in app.test_client().get(page).text


def test_names_shown_to_members_link_to_the_person_form(app, room):
    from tests.tasks.factories import going
    from webapp.events.models import Event

    with app.app_context():
        event = db.session.get(Event, room.event_id)
        going(event, db.session.get(User, room.member_ids[0]))
    member = logged_in(app, room.members[1])
    attendees = member.get(f"/events/{room.event_id}/attendees")
    assert person_report_url(room, room.member_ids[0]) in attendees.text
    group_page = member.get(f"/groups/{room.slug}")
    assert person_report_url(room, room.organiser_id) in group_page.text
    assert person_report_url(room, room.organiser_id) not in (
        logged_in(app, room.outsider).get(f"/groups/{room.slug}").text
    )
