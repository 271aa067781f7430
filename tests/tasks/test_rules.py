"""The task rules through HTTP: adding (organisers; members when allowed), bad input as
422 with the message beside its field, taking, done and not done, giving back, editing,
reassigning and deleting, and a cancelled event's tasks read-only. Every action is also
checked as an htmx fragment: the row (or the list) alone."""

import re

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.polls.support import logged_in
from tests.support.auth import field_error, html
from tests.support.html_checks import by_id, input_value
from tests.tasks.factories import make_task, tasks_of
from webapp.accounts.models import User
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group


def event_of(party):
    return db.session.get(Event, party.event_id)


def user_id(email):
    return db.session.scalar(db.select(User.id).where(User.email == email))


def add_url(party):
    return f"/events/{party.event_id}/tasks"


def test_an_organiser_adds_an_open_task_and_it_is_listed(app, party):
    organiser = logged_in(app, party.organiser)
    response = organiser.submit(
        add_url(party), {"title": "  Bring chairs ", "notes": "Twelve", "due_on": "2030-05-01"}
    )
    assert response.status_code == 303
    assert response.location == add_url(party)
    page = organiser.get(add_url(party))
    assert "Bring chairs" in page.text and "“Bring chairs” is on the list." in page.text
    with app.app_context():
        (task,) = tasks_of(party.event_id)
        assert (task.title, task.notes, str(task.due_on), task.assignee_id) == (
            "Bring chairs",
            "Twelve",
            "2030-05-01",
            None,
        )


def test_adding_with_htmx_answers_the_list_alone(app, party):
    organiser = logged_in(app, party.organiser)
    response = organiser.submit(add_url(party), {"title": "Cake"}, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<section id="event-tasks-{party.event_id}"')
    assert "Cake" in response.text and "<html" not in response.text
    # The form is empty again, ready for the next task.
    assert input_value(response.text, "title") == ""


def test_the_tasks_page_and_its_fragment(app, client, party):
    with app.app_context():
        make_task(event_of(party), title="Napkins")
    page = client.get(add_url(party))
    assert page.status_code == 200 and "<html" in page.text and "Napkins" in page.text
    fragment = client.fragment(add_url(party))
    assert "<html" not in fragment.text and "Napkins" in fragment.text
    assert "Vary" in fragment.headers


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Say what needs doing."),
        ({"title": "   "}, "title", "Say what needs doing."),
        ({"title": "x" * 151}, "title", "150"),
        ({"title": "Ok", "notes": "n" * 2001}, "notes", "2000"),
        ({"title": "Ok", "due_on": "tomorrow"}, "due_on", "Enter a date"),
        ({"title": "Ok", "due_on": "1999-12-31"}, "due_on", "between 2000 and 2100"),
        ({"title": "Ok", "assignee": "abc"}, "assignee", "Choose someone from the list."),
        ({"title": "Ok", "assignee": "99999999999"}, "assignee", "Choose someone from the list."),
        ({"title": "Ok", "assignee": "-1"}, "assignee", "Choose someone from the list."),
    ],
)
def test_bad_input_comes_back_422_beside_its_field(app, party, data, field, message):
    organiser = logged_in(app, party.organiser)
    response = organiser.submit(add_url(party), data)
    assert response.status_code == 422
    assert message in (field_error(response, field) or "")
    with app.app_context():
        assert tasks_of(party.event_id) == []


def test_a_task_for_someone_outside_the_group_is_refused(app, party):
    with app.app_context():
        stranger = make_user().id
    organiser = logged_in(app, party.organiser)
    response = organiser.submit(add_url(party), {"title": "Ok", "assignee": str(stranger)})
    assert response.status_code == 422
    assert "member of" in field_error(response, "assignee")
    with app.app_context():
        assert tasks_of(party.event_id) == []


def test_a_nul_byte_is_refused_before_anything(app, party):
    organiser = logged_in(app, party.organiser)
    assert organiser.submit(add_url(party), {"title": "a\x00b"}).status_code == 400


def test_members_add_only_when_the_organisers_allow_it(app, party):
    member = logged_in(app, party.members[0])
    assert member.submit(add_url(party), {"title": "Juice"}).status_code == 403
    assert 'id="event-tasks-' in member.get(add_url(party)).text
    assert "Add a task" not in member.get(add_url(party)).text
    organiser = logged_in(app, party.organiser)
    assert organiser.submit(f"{add_url(party)}/settings", {"members_add": "y"}).status_code == 303
    assert "Add a task" in member.get(add_url(party)).text
    # A member's task is open: the Who list is not theirs to use.
    other = str(party.member_ids[1])
    assert member.submit(add_url(party), {"title": "Juice", "assignee": other}).status_code == 303
    with app.app_context():
        (task,) = tasks_of(party.event_id)
        assert task.assignee_id is None and task.title == "Juice"
    assert organiser.submit(f"{add_url(party)}/settings", {}).status_code == 303
    assert member.submit(add_url(party), {"title": "Ice"}).status_code == 403


def test_take_done_undone_and_give_back(app, party):
    with app.app_context():
        task_id = make_task(event_of(party), title="Bring a lamp").id
    member = logged_in(app, party.members[0])
    response = member.submit(f"/tasks/{task_id}/take")
    assert response.status_code == 303 and response.location.endswith(f"#task-{task_id}")
    with app.app_context():
        assert tasks_of(party.event_id)[0].assignee_id == party.member_ids[0]
    row = member.submit(f"/tasks/{task_id}/done", htmx=True)
    assert row.status_code == 200
    assert by_id(row.text, f"task-{task_id}") is not None and "<html" not in row.text
    assert "Done" in row.text and "Not done yet" in row.text
    with app.app_context():
        assert tasks_of(party.event_id)[0].done_at is not None
    assert member.submit(f"/tasks/{task_id}/undone").status_code == 303
    with app.app_context():
        assert tasks_of(party.event_id)[0].done_at is None
    assert member.submit(f"/tasks/{task_id}/give-back").status_code == 303
    with app.app_context():
        assert tasks_of(party.event_id)[0].assignee_id is None


def test_only_the_assignee_acts_on_a_taken_task(app, party):
    with app.app_context():
        first = db.session.get(User, party.member_ids[0])
        task_id = make_task(event_of(party), assignee=first).id
    other = logged_in(app, party.members[1])
    for action in ("take", "done", "undone", "give-back"):
        response = other.submit(f"/tasks/{task_id}/{action}", htmx=True)
        assert response.status_code == 422, action
        assert f'id="task-{task_id}"' in response.text
    with app.app_context():
        (task,) = tasks_of(party.event_id)
        assert task.assignee_id == party.member_ids[0] and task.done_at is None


def test_taking_a_taken_task_says_so_kindly(app, party):
    with app.app_context():
        first = db.session.get(User, party.member_ids[0])
        task_id = make_task(event_of(party), assignee=first).id
    other = logged_in(app, party.members[1])
    response = other.submit(f"/tasks/{task_id}/take")
    assert response.status_code == 422
    assert "Someone else has just taken this task" in response.text


def test_an_organiser_edits_reassigns_and_deletes(app, party):
    with app.app_context():
        first = db.session.get(User, party.member_ids[0])
        task_id = make_task(event_of(party), title="Old", assignee=first, done=True).id
    organiser = logged_in(app, party.organiser)
    form = organiser.get(f"/tasks/{task_id}/manage/edit")
    assert form.status_code == 200 and 'value="Old"' in form.text
    inline = organiser.fragment(f"/tasks/{task_id}/manage/edit")
    assert inline.text.lstrip().startswith(f'<article id="task-{task_id}"')
    second = str(party.member_ids[1])
    response = organiser.submit(
        f"/tasks/{task_id}/manage/edit", {"edit-title": "New", "edit-assignee": second}, htmx=True
    )
    assert response.status_code == 200 and "New" in response.text
    with app.app_context():
        (task,) = tasks_of(party.event_id)
        # Another person has it now: it is theirs to do, not done.
        assert (task.title, task.assignee_id, task.done_at) == ("New", int(second), None)
    bad = organiser.submit(f"/tasks/{task_id}/manage/edit", {"edit-title": ""})
    assert bad.status_code == 422 and field_error(bad, "edit-title")
    assert organiser.get(f"/tasks/{task_id}/manage/delete").status_code == 200
    assert organiser.submit(f"/tasks/{task_id}/manage/delete").status_code == 303
    with app.app_context():
        assert tasks_of(party.event_id) == []
    assert organiser.get(f"/tasks/{task_id}").status_code == 404


def test_a_cancelled_events_tasks_are_read_only(app, party):
    with app.app_context():
        event = event_of(party)
        task_id = make_task(event, title="Tent").id
        event.status = EventStatus.CANCELLED
        db.session.commit()
    organiser = logged_in(app, party.organiser)
    page = organiser.get(add_url(party))
    assert page.status_code == 200 and "Tent" in page.text and "can no longer change" in page.text
    assert "Add a task" not in page.text and "Take it" not in page.text
    assert organiser.submit(add_url(party), {"title": "More"}).status_code == 403
    assert organiser.submit(f"/tasks/{task_id}/manage/edit", {"edit-title": "X"}).status_code == 403
    member = logged_in(app, party.members[0])
    assert member.submit(f"/tasks/{task_id}/take").status_code == 403
    with app.app_context():
        assert [t.title for t in tasks_of(party.event_id)] == ["Tent"]


def test_my_tasks_lists_open_tasks_soonest_first_across_groups(app, party):
    from datetime import date

    with app.app_context():
        me = db.session.get(User, party.member_ids[0])
        event = event_of(party)
        make_task(event, title="Later", assignee=me, due_on=date(2031, 1, 2))
        make_task(event, title="Undated", assignee=me)
        make_task(event, title="Sooner", assignee=me, due_on=date(2030, 1, 2))
        make_task(event, title="Finished", assignee=me, done=True)
        make_task(event, title="Nobody's")
        other_group = db.session.get(Group, event.group_id)
        cancelled = make_event(other_group, status=EventStatus.CANCELLED)
        make_task(cancelled, title="Off", assignee=me)
    member = logged_in(app, party.members[0])
    page = member.get("/tasks")
    assert page.status_code == 200
    text = page.text
    assert text.index("Sooner") < text.index("Later") < text.index("Undated")
    assert "Finished" not in text and "Nobody's" not in text and "Off" not in text
    fragment = member.fragment("/tasks")
    assert "<html" not in fragment.text and "Sooner" in fragment.text
    assert 'href="/tasks"' in html(member.get("/"))


TASK_LINK = re.compile(r'#task-\d+">([^<]+)</a>')


def test_my_tasks_pages(app, party):
    with app.app_context():
        me = db.session.get(User, party.member_ids[0])
        for number in range(25):
            make_task(event_of(party), title=f"T{number:02}", assignee=me)
    member = logged_in(app, party.members[0])
    # The tasks' links by their titles: a page's times (datetime="...T20:20") hold "T20" too.
    first = TASK_LINK.findall(member.get("/tasks").text)
    assert "T00" in first and "T19" in first and "T20" not in first
    second = TASK_LINK.findall(member.get("/tasks?page=2").text)
    assert "T20" in second and "T24" in second and "T00" not in second
    assert member.get("/tasks?page=99999999999999999999").status_code == 200


def test_the_event_page_links_to_its_tasks_and_not_yet_to_feedback(app, client, party):
    page = client.get(f"/events/{party.event_id}", follow_redirects=True)
    assert f'href="/events/{party.event_id}/tasks"' in page.text
    assert f'href="/events/{party.event_id}/feedback"' not in page.text
