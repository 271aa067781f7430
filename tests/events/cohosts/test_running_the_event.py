"""A co-host runs their event through HTTP, and nothing else: Ada, a member of the Walkers
who organises nothing, co-hosts their Night walk. She edits it, builds its agenda, makes
and closes a poll on it, adds and edits its tasks, deletes a file, asks a question, checks
someone in at the door, downloads the attendee list and writes to its people; she may not
cancel or delete it, name co-hosts, nor touch the group's other Night walk (made after
hers, with a higher id and the same title) or anything of the group's own. A co-host of a
date of a series changes that date alone; a co-host of a draft publishes it, and tells
the group nothing (announcing to the group is its organisers')."""

from datetime import timedelta

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.agenda.factories import session_form
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.events.series.factories import make_series
from tests.events.series.support import date_form
from tests.events.support import event_data
from tests.files.support import make_file
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in, poll_data
from tests.support.auth import html
from tests.tasks.factories import going
from webapp.accounts.models import User
from webapp.announcements.models import Announcement
from webapp.audit.models import AuditAction, AuditEntry
from webapp.events.agenda.models import AgendaSession
from webapp.events.checkin.models import CheckIn
from webapp.events.models import Event, EventStatus
from webapp.events.questions.models import EventQuestion
from webapp.extensions import db
from webapp.files.models import StoredFile
from webapp.groups.models import Membership
from webapp.polls.models import Poll
from webapp.tasks.models import Task


def walkers(app, status=EventStatus.PUBLISHED):
    """The Walkers: Olu owns them; Ada co-hosts their Night walk (in status), Bo goes to
    it; another Night walk after it; Olu's file on Ada's walk."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu")
        group = make_group(olu, name="Walkers")
        mine = make_event(group, title="Night walk", status=status)
        theirs = make_event(group, title="Night walk")
        ada = make_user(email="ada@example.org", first_name="Ada")
        bo = make_user(email="bo@example.org", first_name="Bo")
        for person in (ada, bo):
            add_member(group, person)
        make_cohost(mine, ada, added_by=olu)
        if status == EventStatus.PUBLISHED:
            going(mine, bo)
        stored = make_file(mine, olu, name="route.pdf")
        membership = db.session.scalar(sa.select(Membership.id).where(Membership.user_id == bo.id))
        # A session within the walk, on its clocks (UTC).
        session_at = [
            f"{mine.starts_at + timedelta(minutes=minutes):%Y-%m-%dT%H:%M}" for minutes in (30, 90)
        ]
        return {
            "session_at": session_at,
            "mine": mine.id,
            "theirs": theirs.id,
            "slug": group.slug,
            "file": stored.id,
            "bo": bo.id,
            "bo_membership": membership,
        }


def count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_a_cohost_runs_their_event(app):
    world = walkers(app)
    ada = logged_in(app, "ada@example.org")
    event = f"/events/{world['mine']}"

    page = html(ada.get(f"{event}-night-walk"))
    for link in ("/manage/edit", "/door", "/questions"):
        assert f'href="{event}{link}"' in page, link
    for hidden in ("/manage/cancel", "/manage/delete", "/cohosts"):
        assert f"{event}{hidden}" not in page, hidden

    session = session_form("Torches", *world["session_at"])
    assert ada.submit(f"{event}/agenda/sessions", session).status_code == 303
    # (After the session: the edit moves the walk a month on, past the session's times.)
    edited = ada.submit(f"{event}/manage/edit", event_data(title="Night walk by the canal"))
    assert edited.status_code == 303
    assert ada.submit(f"{event}/polls/new", poll_data()).status_code == 303
    assert ada.submit(f"{event}/tasks", {"title": "Bring torches"}).status_code == 303
    assert ada.submit(f"{event}/questions", {"text": "Any allergies?"}).status_code == 303
    assert ada.submit(f"{event}/door/{world['bo']}/check-in").status_code == 303
    assert ada.submit(f"{event}/files/{world['file']}/delete").status_code == 303
    assert ada.get(f"{event}/attendees.csv").status_code == 200
    announced = ada.submit(
        f"{event}/announcements/new",
        {"subject": "Torches", "body": "Bring one.", "when": "now", "to_going": "y"},
    )
    assert announced.status_code == 303
    with app.app_context():
        mine = db.session.get(Event, world["mine"])
        assert mine.title == "Night walk by the canal"
        poll = db.session.scalar(sa.select(Poll).where(Poll.event_id == mine.id))
        task = db.session.scalar(sa.select(Task).where(Task.event_id == mine.id))
        assert count(AgendaSession, AgendaSession.event_id == mine.id) == 1
        assert count(EventQuestion, EventQuestion.event_id == mine.id) == 1
        assert count(CheckIn, CheckIn.event_id == mine.id) == 1
        assert count(StoredFile, StoredFile.event_id == mine.id) == 0
        assert count(Announcement, Announcement.event_id == mine.id) == 1
        edits = db.session.scalars(
            sa.select(AuditEntry.data).where(AuditEntry.action == AuditAction.EVENT_EDITED)
        ).all()
        assert [data["name"] for data in edits] == ["Night walk by the canal"]
    assert ada.submit(f"/polls/{poll.id}/manage/close").status_code == 303
    assert ada.submit(f"/tasks/{task.id}/manage/edit", {"edit-title": "Torches"}).status_code == 303


def test_a_cohost_may_not_cancel_delete_or_name_cohosts(app):
    """Refused (403), and once the organisers cancel the event its page offers its co-host
    nothing to run."""
    world = walkers(app)
    ada = logged_in(app, "ada@example.org")
    event = f"/events/{world['mine']}"
    for path in ("/manage/cancel", "/manage/delete", "/cohosts"):
        assert ada.get(event + path).status_code == 403, path
        assert ada.submit(event + path).status_code == 403, path
    assert ada.submit(f"{event}/cohosts", {"member": str(world["bo"])}).status_code == 403
    with app.app_context():
        assert db.session.get(Event, world["mine"]).status == EventStatus.PUBLISHED
    # Its organisers cancel it: nothing is left for its co-host to run.
    assert logged_in(app, "olu@example.org").submit(f"{event}/manage/cancel").status_code == 303
    assert "Organise" not in html(ada.get(f"{event}-night-walk"))
    assert ada.get(f"{event}/questions").status_code == 200


def test_a_cohost_touches_no_other_event_nor_the_groups_own(app):
    world = walkers(app)
    ada = logged_in(app, "ada@example.org")
    other = f"/events/{world['theirs']}"
    group = f"/groups/{world['slug']}"
    refused = [
        ("GET", f"{other}/manage/edit", None),
        ("POST", f"{other}/manage/edit", event_data(title="Mine now")),
        ("GET", f"{other}/agenda/sessions/new", None),
        ("GET", f"{other}/door", None),
        ("GET", f"{other}/questions", None),
        ("POST", f"{other}/tasks", {"title": "Bring torches"}),
        ("GET", f"{other}/polls/new", None),
        ("GET", f"{other}/announcements/new", None),
        ("GET", f"{other}/attendees.csv", None),
        ("GET", f"{group}/events/new", None),
        ("GET", f"{group}/polls/new", None),
        ("GET", f"{group}/announcements/new", None),
        ("GET", f"{group}/manage/members", None),
        ("GET", f"{group}/manage/settings", None),
        ("GET", f"{group}/manage/history", None),
        ("POST", f"{group}/manage/members/{world['bo_membership']}/remove", {}),
    ]
    for method, path, data in refused:
        response = ada.get(path) if method == "GET" else ada.submit(path, data)
        assert response.status_code == 403, (method, path)
    with app.app_context():
        assert db.session.get(Event, world["theirs"]).title == "Night walk"
        assert count(Task) == 0
    # Their walk's page offers her nothing to run.
    assert "Organise" not in html(ada.get(f"{other}-night-walk"))


def test_a_cohost_of_a_series_date_changes_that_date_alone(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        group = make_group(olu, name="Tuesday Club")
        ada = make_user(email="ada@example.org")
        add_member(group, ada)
        first = make_series(olu, group)
        dates = db.session.scalars(
            sa.select(Event).where(Event.series_id == first.series_id).order_by(Event.series_date)
        ).all()
        make_cohost(first, ada, added_by=olu)
        second = dates[1]
        first_id, first_day, second_id = first.id, first.series_date, second.id
        series_id, ada_id = first.series_id, ada.id
    ada_client = logged_in(app, "ada@example.org")

    form = html(ada_client.get(f"/events/{first_id}/manage/edit"))
    assert "This date and every later one" not in form
    changed = ada_client.submit(
        f"/events/{first_id}/manage/edit",
        date_form(first_day, title="Board games at Ada's", applies_to="following"),
    )
    assert changed.status_code == 303, html(changed)
    with app.app_context():
        titles = db.session.scalars(
            sa.select(Event.title).where(Event.series_id == series_id).order_by(Event.id)
        ).all()
    assert titles[0] == "Board games at Ada's"
    assert set(titles[1:]) == {"Board games"}
    second_page = html(ada_client.get(f"/events/{second_id}", follow_redirects=True))
    assert "Board games" in second_page and "End the series" not in second_page
    assert ada_client.submit(f"/events/{second_id}/series/end").status_code == 403
    assert ada_client.get(f"/events/{second_id}/manage/edit").status_code == 403
    # Co-host of the later date too, she still ends nothing: that is the organisers'.
    with app.app_context():
        make_cohost(db.session.get(Event, second_id), db.session.get(User, ada_id))
    assert ada_client.submit(f"/events/{second_id}/series/end").status_code == 403


def test_a_cohost_publishes_their_draft_and_tells_the_group_nothing(app):
    world = walkers(app, status=EventStatus.DRAFT)
    ada = logged_in(app, "ada@example.org")
    event = f"/events/{world['mine']}"
    page = html(ada.get(f"{event}-night-walk"))
    assert "only the group's organisers and the event's co-hosts see it" in page
    assert 'name="announce"' not in page
    assert logged_in(app, "bo@example.org").get(f"{event}-night-walk").status_code == 404

    published = ada.submit(f"{event}/manage/publish", {"announce": "1"})
    assert published.status_code == 303
    with app.app_context():
        assert db.session.get(Event, world["mine"]).status == EventStatus.PUBLISHED
        assert count(Announcement) == 0


def test_a_cohost_of_a_draft_series_date_does_not_publish_the_series(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        group = make_group(olu, name="Tuesday Club")
        ada = make_user(email="ada@example.org")
        add_member(group, ada)
        first = make_series(olu, group, published=False)
        make_cohost(first, ada, added_by=olu)
        first_id = first.id
    ada_client = logged_in(app, "ada@example.org")
    draft_page = html(ada_client.get(f"/events/{first_id}", follow_redirects=True))
    assert 'href="/events/' in draft_page and "Publish the series" not in draft_page
    assert f"/events/{first_id}/manage/edit" in draft_page
    # The draft series' page is the organisers': no link to it.
    assert "/series/" not in draft_page
    assert ada_client.submit(f"/events/{first_id}/manage/publish").status_code == 403
    with app.app_context():
        assert db.session.get(Event, first_id).status == EventStatus.DRAFT
