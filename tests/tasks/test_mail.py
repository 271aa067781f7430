"""Task email: an organiser giving a task to someone emails them once, through the
outbox, saying why and linking to the task; nobody is emailed for a task they take or
give themselves, nor after turning task assignments off in their settings."""

from tests.events.mail.test_settings import choices
from tests.polls.support import logged_in
from tests.tasks.factories import make_task, tasks_of
from webapp.events.mail.models import EventMailKind
from webapp.events.models import Event
from webapp.extensions import db

SUBJECT = "A task for you: Bring chairs"


def task_mail(mailbox, email):
    return [m for m in mailbox.messages(email) if m["Subject"].startswith("A task for you:")]


def add(app, party, who, **data):
    client = logged_in(app, who)
    response = client.submit(f"/events/{party.event_id}/tasks", {"title": "Bring chairs", **data})
    assert response.status_code == 303
    return client


def test_assigning_someone_emails_them_once_with_a_working_link(app, party, mailbox):
    add(app, party, party.organiser, assignee=str(party.member_ids[0]))
    (message,) = task_mail(mailbox, party.members[0])
    assert message["Subject"].startswith(SUBJECT)
    text = mailbox.text(message)
    assert "gave you a task" in text and "Bring chairs" in text
    assert "because an organiser of" in text and "task assignments" in text
    assert "/settings#event-mail" in text
    for other in (party.members[1], party.organiser, party.owner):
        assert task_mail(mailbox, other) == []
    with app.app_context():
        (task,) = tasks_of(party.event_id)
    link = mailbox.link(party.members[0])
    assert link == f"/events/{party.event_id}/tasks#task-{task.id}"
    page = logged_in(app, party.members[0]).get(link)
    assert page.status_code == 200
    assert f'id="task-{task.id}"' in page.text and "Mark done" in page.text


def test_reassigning_emails_the_new_assignee_and_an_edit_alone_emails_nobody(app, party, mailbox):
    organiser = add(app, party, party.organiser, assignee=str(party.member_ids[0]))
    with app.app_context():
        (task,) = tasks_of(party.event_id)
    edit = f"/tasks/{task.id}/manage/edit"
    same = {
        "edit-title": "Bring chairs",
        "edit-notes": "Twelve",
        "edit-assignee": str(party.member_ids[0]),
    }
    assert organiser.submit(edit, same).status_code == 303
    assert len(task_mail(mailbox, party.members[0])) == 1
    moved = {"edit-title": "Bring chairs", "edit-assignee": str(party.member_ids[1])}
    assert organiser.submit(edit, moved).status_code == 303
    assert len(task_mail(mailbox, party.members[1])) == 1
    assert len(task_mail(mailbox, party.members[0])) == 1


def test_taking_a_task_or_giving_it_to_oneself_emails_nobody(app, party, mailbox):
    with app.app_context():
        task = make_task(db.session.get(Event, party.event_id), title="Napkins")
    member = logged_in(app, party.members[0])
    assert member.submit(f"/tasks/{task.id}/take").status_code == 303
    with app.app_context():
        from webapp.accounts.models import User

        organiser_id = db.session.scalar(db.select(User.id).where(User.email == party.organiser))
    add(app, party, party.organiser, assignee=str(organiser_id))
    assert mailbox.messages() == []


def test_the_settings_switch_is_honoured(app, party, mailbox):
    member = logged_in(app, party.members[0])
    settings = member.get("/settings").text
    assert 'id="event-mail-task_assigned"' in settings
    others = [kind for kind in EventMailKind if kind != EventMailKind.TASK_ASSIGNED]
    assert member.submit("/settings/event-mail", choices(*others)).status_code == 303
    add(app, party, party.organiser, assignee=str(party.member_ids[0]))
    assert task_mail(mailbox, party.members[0]) == []
    # Turned on again, it comes.
    assert member.submit("/settings/event-mail", choices(*EventMailKind)).status_code == 303
    add(app, party, party.organiser, assignee=str(party.member_ids[0]))
    assert len(task_mail(mailbox, party.members[0])) == 1
