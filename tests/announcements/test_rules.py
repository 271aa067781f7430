"""The rules of writing announcements: when they go, how many a week, what is refused
(422, next to the field, nothing written), withdrawing, one-click unsubscribe per group,
and announcing an event as it is published."""

from datetime import date, timedelta

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.announcements.support import (
    announce_to_group,
    announcement_data,
    announcements,
    subjects_to,
)
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from webapp.accounts.models import User
from webapp.announcements import sending
from webapp.announcements.models import AnnouncementState
from webapp.database.times import utcnow
from webapp.events.models import EventStatus
from webapp.extensions import db
from webapp.groups.models import Group

NEXT_MONTH = f"{date.today() + timedelta(days=30):%Y-%m-%d}T09:00"


def group_of(party):
    return db.session.scalar(sa.select(Group).where(Group.slug == party.slug))


def test_a_scheduled_one_waits_for_its_time_then_goes_once(app, party, mailbox):
    _client, response = announce_to_group(app, party, when="later", send_at=NEXT_MONTH)

    assert response.status_code == 303
    assert subjects_to(mailbox, party.members[0]) == []
    (waiting,) = announcements(app)
    assert waiting.state == AnnouncementState.SCHEDULED
    with app.app_context():
        assert sending.sweep_due_announcements(now=utcnow()) == 0
        sending.sweep_due_announcements(now=waiting.send_at + timedelta(minutes=1))
    assert len(subjects_to(mailbox, party.members[0])) == 1
    with app.app_context():
        sending.sweep_due_announcements(now=waiting.send_at + timedelta(minutes=2))
    assert len(subjects_to(mailbox, party.members[0])) == 1


def test_a_withdrawn_one_never_goes_and_a_sent_one_cannot_be_withdrawn(app, party, mailbox):
    client, _ = announce_to_group(app, party, when="later", send_at=NEXT_MONTH)
    (waiting,) = announcements(app)

    assert client.submit(f"/announcements/{waiting.id}/manage/withdraw").status_code == 303
    with app.app_context():
        sending.sweep_due_announcements(now=waiting.send_at + timedelta(minutes=1))
    assert subjects_to(mailbox, party.members[0]) == []
    assert announcements(app)[0].state == AnnouncementState.WITHDRAWN
    # Gone from the organiser's manage pages: it no longer waits.
    assert client.get(f"/announcements/{waiting.id}/manage/edit").status_code == 403


def test_the_weekly_cap_is_shown_then_refused_next_to_the_time(app, party):
    app.config["ANNOUNCEMENTS_PER_WEEK"] = 2
    try:
        client, first = announce_to_group(app, party)
        assert first.status_code == 303
        page = client.get(f"/groups/{party.slug}/announcements/new")
        assert "This group can send 1 more announcement this week." in page.text
        assert announce_to_group(app, party)[1].status_code == 303

        refused = client.submit(
            f"/groups/{party.slug}/announcements/new", announcement_data(subject="Third")
        )
        assert refused.status_code == 422
        assert "This group can send 2 announcements in any seven days" in refused.text
        assert 'id="send_at-error"' in refused.text
        assert len(announcements(app)) == 2
        # A time more than a week after the others is free.
        later = f"{date.today() + timedelta(days=20):%Y-%m-%d}T09:00"
        taken = client.submit(
            f"/groups/{party.slug}/announcements/new",
            announcement_data(subject="Third", when="later", send_at=later),
        )
        assert taken.status_code == 303
    finally:
        app.config["ANNOUNCEMENTS_PER_WEEK"] = 3


def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(app, party):
    client = logged_in(app, party.organiser)
    url = f"/groups/{party.slug}/announcements/new"
    cases = [
        ({"subject": "", "body": ""}, ("Write a subject.", "Write the message.")),
        ({"when": "later", "send_at": ""}, ("Choose when it goes.",)),
        ({"when": "later", "send_at": "2001-01-01T10:00"}, ("Choose a time in the future",)),
        ({"when": "later", "send_at": "not a time"}, ("Enter a date and time",)),
    ]
    for overrides, messages in cases:
        response = client.submit(url, announcement_data(**overrides))
        assert response.status_code == 422, overrides
        for message in messages:
            assert message in response.text, message
    event_url = f"/events/{party.event_id}/announcements/new"
    nobody = client.submit(event_url, announcement_data())
    assert nobody.status_code == 422 and "Choose who it goes to." in nobody.text
    assert announcements(app) == []


def test_preview_shows_it_as_members_read_it_and_sends_nothing(app, party, mailbox):
    client = logged_in(app, party.organiser)
    response = client.submit(
        f"/groups/{party.slug}/announcements/new",
        {**announcement_data(body="Bring <script>x</script> **lanterns**"), "preview": "1"},
    )
    assert response.status_code == 200
    assert "<strong>lanterns</strong>" in response.text
    assert "<script>x" not in response.text
    assert announcements(app) == []
    assert subjects_to(mailbox, party.members[0]) == []


def test_one_click_stops_that_groups_announcements_only(app, party, mailbox):
    with app.app_context():
        other = make_group(make_user(), name="Other")
        member = db.session.scalar(sa.select(User).where(User.email == party.members[0]))
        add_member(other, member)
        other_slug = other.slug
    announce_to_group(app, party)
    (message,) = [m for m in mailbox.messages(party.members[0]) if "Picnic" in m["Subject"]]
    one_click = message["List-Unsubscribe"].strip("<>").removeprefix(app.config["BASE_URL"])
    mail_program = app.test_client()

    assert mail_program.get(one_click).status_code == 200  # a GET changes nothing
    announce_to_group(app, party, subject="Picnic again")
    assert len(subjects_to(mailbox, party.members[0])) == 2
    response = mail_program.post(
        one_click,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert mail_program.post(one_click[:-3] + "xyz").status_code == 404

    announce_to_group(app, party, subject="Picnic once more")
    assert len(subjects_to(mailbox, party.members[0])) == 2
    assert len(subjects_to(mailbox, party.members[1])) == 3
    # The other group's still come by email; this group's are off.
    member = logged_in(app, party.members[0])
    assert 'selected value="email"' in member.get(f"/groups/{other_slug}/announcements").text
    assert 'selected value="off"' in member.get(f"/groups/{party.slug}/announcements").text


def test_publishing_with_the_box_ticked_announces_the_event(app, party, mailbox):
    with app.app_context():
        draft = make_event(group_of(party), title="Lantern walk", status=EventStatus.DRAFT)
    client = logged_in(app, party.organiser)
    page = client.get(f"/events/{draft.id}", follow_redirects=True)
    assert (
        'name="announce"' in page.text
        and "checked" not in page.text.split('name="announce"')[1][:40]
    )

    response = client.submit(f"/events/{draft.id}/manage/publish", {"announce": "1"})

    assert response.status_code == 303
    (announcement,) = announcements(app)
    assert announcement.subject == "New event: Lantern walk"
    (message,) = [m for m in mailbox.messages(party.members[1]) if "Lantern walk" in m["Subject"]]
    assert f"/events/{draft.id}" in mailbox.text(message)


def test_one_sent_now_is_going_at_once_and_cannot_be_edited_meanwhile(app, party):
    client, response = announce_to_group(app, party)  # no worker has taken it yet

    (announcement,) = announcements(app)
    assert announcement.state == AnnouncementState.SENDING
    page = client.get(response.location).text
    assert "The announcement is on its way." in page
    assert "Scheduled for" not in page and "/manage/edit" not in page
    edit = f"/announcements/{announcement.id}/manage/edit"
    assert client.submit(edit, announcement_data(subject="Changed")).status_code in (400, 403, 409)
    assert announcements(app)[0].subject == "Picnic moved"


def test_opening_marks_it_read_in_place_and_leaves_the_pages_messages(app, party, mailbox):
    announce_to_group(app, party)
    (announcement,) = announcements(app)
    member = logged_in(app, party.members[0])
    member.get("/")  # the welcome, shown once
    url = f"/announcements/{announcement.id}/read"

    # The page's own POST (htmx, on load): the mark alone, the page's messages left be.
    fragment = member.submit(url, htmx=True)
    assert fragment.status_code == 200
    assert "You have read this announcement." in fragment.text
    assert 'id="flashes"' not in fragment.text
    # Without JavaScript, the button: back to the announcement, read.
    plain = member.submit(url)
    assert plain.status_code == 303
    assert plain.location == f"/announcements/{announcement.id}"
    assert "You have read this announcement." in member.get(plain.location).text
