"""Deleting one's account, through HTTP on PostgreSQL: places freed and the next in line
promoted (emailed once), votes gone with the counts right, tasks open again, feedback
and files kept without a name, check-ins and answers to questions gone with the person,
groups handed over first, sessions ended, a last email, and the address free to sign up
again."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.events.factories import make_event
from tests.events.rsvp.support import assert_counters_match_rows as assert_rsvp_counters
from tests.events.rsvp.support import going, waitlist
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll, option_ids, vote
from tests.polls.support import assert_counters_match_rows as assert_poll_counters
from tests.polls.support import logged_in
from tests.support.auth import field_error, html, signup_data
from tests.tasks.factories import ended_event, make_feedback, make_task, tasks_of
from tests.your_data.support import answer, people_with_everything
from webapp.accounts.models import User, UserSession
from webapp.events.checkin.models import CheckIn
from webapp.events.models import Event
from webapp.events.questions.models import EventQuestion, QuestionAnswer
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.feedback.models import Feedback
from webapp.files.models import StoredFile
from webapp.groups.models import Group, Membership
from webapp.polls.models import PollOption
from webapp.your_data.models import DataExport

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def delete(client, password=DEFAULT_PASSWORD, htmx=False):
    return client.submit("/settings/delete", {"password": password}, htmx=htmx)


def user_exists(email):
    return db.session.scalar(sa.select(User.id).where(User.email == email)) is not None


def test_the_confirm_step_is_a_page_and_a_fragment(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    page = client.get("/settings/delete")
    assert page.status_code == 200
    assert "<h1>Delete your account</h1>" in html(page)
    assert email in html(page)
    fragment = client.get("/settings/delete", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert html(fragment).lstrip().startswith('<form id="delete-account-form"')
    assert 'href="/settings/delete"' in html(client.get("/settings/data"))


@pytest.mark.parametrize(
    "password, message",
    [
        ("Wrong-Password-1!", "The password is incorrect."),
        ("", "Enter your password to delete your account."),
        ("x" * 5000, "Field cannot be longer than 1024 characters."),
    ],
)
def test_a_wrong_password_is_a_422_beside_the_field_and_changes_nothing(app, password, message):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    for htmx in (False, True):
        response = delete(client, password, htmx=htmx)
        assert response.status_code == 422
        assert field_error(response, "password") == message
    with app.app_context():
        assert user_exists(email)
    assert client.get("/settings").status_code == 200


def test_a_nul_byte_is_refused_before_anything_happens(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    assert delete(client, "nul\x00byte").status_code == 400
    with app.app_context():
        assert user_exists(email)


def test_deleting_frees_the_place_and_promotes_the_next_in_line_emailed_once(app, mailbox):
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        leaver, waiting = make_user(), make_user()
        add_member(group, leaver)
        add_member(group, waiting)
        event = make_event(group, capacity=1, title="Pottery evening")
        answer(leaver, event)
        answer(waiting, event)
        event_id, leaver_email, waiting_email, waiting_id = (
            event.id,
            leaver.email,
            waiting.email,
            waiting.id,
        )
        assert waitlist(event_id) == [waiting_id]
    mailbox.messages()  # the confirmations so far, delivered
    client = logged_in(app, leaver_email)
    response = delete(client)
    assert response.status_code == 303
    assert response.location == "/"
    with app.app_context():
        assert going(event_id) == {waiting_id}
        assert waitlist(event_id) == []
        assert_rsvp_counters(event_id)
    promoted = [
        m for m in mailbox.messages(waiting_email) if m["Subject"].startswith("A place opened up")
    ]
    assert len(promoted) == 1
    # A second pass of the worker sends nothing more.
    again = mailbox.messages(waiting_email)
    assert len([m for m in again if m["Subject"].startswith("A place opened up")]) == 1


def test_votes_go_and_the_counts_stay_right(app):
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        leaver, stayer = make_user(), make_user()
        add_member(group, leaver)
        add_member(group, stayer)
        poll = make_poll(group, labels=("Park", "Pub"))
        park, pub = option_ids(poll)
        vote(leaver, poll, park)
        vote(stayer, poll, pub)
        poll_id, email = poll.id, leaver.email
    assert delete(logged_in(app, email)).status_code == 303
    with app.app_context():
        assert_poll_counters(poll_id)
        counts = dict(
            db.session.execute(
                sa.select(PollOption.label, PollOption.yes_count).where(
                    PollOption.poll_id == poll_id
                )
            ).all()
        )
        assert counts == {"Park": 0, "Pub": 1}
    page = app.test_client().get(f"/polls/{poll_id}")
    assert "1 person voted" in html(page)


def test_feedback_and_files_stay_as_a_former_members(app):
    with app.app_context():
        pair = people_with_everything()
        past = db.session.scalar(sa.select(Event).where(Event.title == "Summer walk"))
        past_id = past.id
        organiser = make_user()
        add_member(db.session.get(Group, past.group_id), organiser, role="organiser")
        organiser_email = organiser.email
        # Ann owns the group with Zelda in it: she hands it over first.
        group = db.session.get(Group, past.group_id)
        membership = db.session.scalar(
            sa.select(Membership).where(
                Membership.group_id == group.id, Membership.user_id == pair.other_id
            )
        )
        membership.role = "owner"
        db.session.commit()
    assert delete(logged_in(app, pair.email)).status_code == 303
    with app.app_context():
        kept = db.session.scalars(
            sa.select(Feedback).where(Feedback.event_id == past_id).order_by(Feedback.id)
        ).all()
        assert [(f.user_id, f.comment) for f in kept] == [
            (None, "Lovely views from the ridge"),
            (pair.other_id, "Too hot for me"),
        ]
        files = dict(db.session.execute(sa.select(StoredFile.name, StoredFile.uploader_id)).all())
        assert files == {"route-ann.pdf": None, "route-zelda.pdf": pair.other_id}
        tasks = {t.title: t.assignee_id for t in tasks_of(pair.event_id)}
        assert tasks == {"Bring the map": None, "Zelda's flask": pair.other_id}
    organiser = logged_in(app, organiser_email)
    feedback_page = html(organiser.get(f"/events/{past_id}/feedback"))
    assert "a former member" in feedback_page
    assert "Lovely views from the ridge" in feedback_page
    assert "Ann" not in feedback_page
    files_page = html(organiser.get(f"/events/{pair.event_id}/files"))
    assert "a former member" in files_page


def test_their_check_ins_and_answers_to_questions_go_and_anothers_stay(app):
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        # The leaver is made last, and checked the stayer in at the door.
        stayer, leaver = make_user(), make_user()
        add_member(group, stayer)
        add_member(group, leaver, role="organiser")
        past = ended_event(group, title="Night walk")
        question = EventQuestion(event_id=past.id, text="Any allergies?")
        db.session.add(question)
        past.has_questions = True
        db.session.flush()
        for person, text, door in ((stayer, "Oat milk", leaver), (leaver, "Hazelnuts", owner)):
            db.session.add(Rsvp(event_id=past.id, user_id=person.id, answer=Answer.GOING))
            db.session.add(CheckIn(event_id=past.id, user_id=person.id, checked_in_by_id=door.id))
            db.session.add(QuestionAnswer(question_id=question.id, user_id=person.id, text=text))
        db.session.commit()
        past_id, question_id, stayer_id = past.id, question.id, stayer.id
        owner_email, leaver_email = owner.email, leaver.email
    assert delete(logged_in(app, leaver_email)).status_code == 303
    with app.app_context():
        check_ins = db.session.execute(
            sa.select(CheckIn.user_id, CheckIn.checked_in_by_id).where(CheckIn.event_id == past_id)
        ).all()
        # The stayer's check-in stays; who checked them in is no longer known.
        assert check_ins == [(stayer_id, None)]
        answers = db.session.execute(
            sa.select(QuestionAnswer.user_id, QuestionAnswer.text).where(
                QuestionAnswer.question_id == question_id
            )
        ).all()
        assert answers == [(stayer_id, "Oat milk")]
    attendees = logged_in(app, owner_email).get(f"/events/{past_id}/attendees.csv").text
    assert "Oat milk" in attendees and "Hazelnuts" not in attendees


def test_a_done_task_becomes_open_again(app):
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        leaver = make_user()
        add_member(group, leaver)
        event = make_event(group)
        make_task(event, title="Chairs", assignee=leaver, done=True)
        event_id, email = event.id, leaver.email
    assert delete(logged_in(app, email)).status_code == 303
    with app.app_context():
        (task,) = tasks_of(event_id)
        assert task.assignee_id is None and task.done_at is None


def test_the_last_email_arrives_sessions_end_and_the_address_signs_up_again(app, mailbox):
    with app.app_context():
        user = make_user(email="Mira.Holm@example.org", first_name="Mira")
        email, user_id = user.email, user.id
    phone = logged_in(app, email)
    laptop = logged_in(app, email)
    response = delete(laptop, htmx=True)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"
    with app.app_context():
        assert not user_exists(email)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(DataExport.user_id == user_id)) == 0
        )
    # Both devices are logged out.
    for client in (phone, laptop):
        settings = client.get("/settings")
        assert settings.status_code in (302, 303)
        assert settings.location.startswith("/login")
    last = mailbox.last(email)
    assert last["Subject"] == "Your Hearth account is deleted"
    text = mailbox.text(last)
    assert "Hello Mira" in text
    assert "because the account was deleted with its password" in text
    # The same address can sign up again.
    again = app.test_client().submit("/signup", signup_data(email=email))
    assert again.status_code == 303
    with app.app_context():
        assert user_exists(email)


def test_the_owner_of_a_group_with_other_members_is_refused(app):
    with app.app_context():
        owner = make_user()
        group = make_group(owner, name="Book circle")
        add_member(group, make_user())
        event = make_event(group, capacity=3)
        answer(owner, event)
        email, event_id = owner.email, event.id
    client = logged_in(app, email)
    response = delete(client)
    assert response.status_code == 422
    page = html(response)
    assert "You are the last owner of Book circle." in page
    assert "Make another member an owner" in page
    with app.app_context():
        assert user_exists(email)
        assert going(event_id)
    assert client.get("/settings").status_code == 200


def test_a_group_they_alone_are_in_is_soft_deleted(app):
    with app.app_context():
        owner = make_user()
        group = make_group(owner, name="Solo club")
        group_id, email = group.id, owner.email
    assert delete(logged_in(app, email)).status_code == 303
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert group is not None and group.deleted_at is not None
        assert group.member_count == 0


def test_a_past_event_frees_no_place_and_promotes_nobody(app, mailbox):
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        leaver, waiting = make_user(), make_user()
        add_member(group, leaver)
        add_member(group, waiting)
        event = make_event(group, capacity=1)
        answer(leaver, event)
        answer(waiting, event)
        past = ended_event(group)
        make_feedback(past, leaver, 4)
        event.starts_at = past.starts_at
        event.ends_at = past.ends_at
        db.session.commit()
        event_id, email, waiting_id = event.id, leaver.email, waiting.id
    assert delete(logged_in(app, email)).status_code == 303
    with app.app_context():
        assert waitlist(event_id) == [waiting_id]
        assert_rsvp_counters(event_id)


def test_tries_at_deleting_are_rate_limited_per_user(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_ACCOUNT_DELETE", "2 per hour")
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    assert delete(client, "Wrong-Password-1!").status_code == 422
    assert delete(client, "Wrong-Password-2!").status_code == 422
    assert delete(client).status_code == 429
    with app.app_context():
        assert user_exists(email)
