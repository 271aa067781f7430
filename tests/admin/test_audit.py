"""The audit log: organisers' and admins' actions are written as they happen, the admin
reads them with filters (who, what, which group, when) a page at a time, a group's
history page reads the same rows, and the admin's pages cost the same few statements
however many rows there are."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.support import event_data
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll
from tests.support.auth import login_data
from tests.support.html_checks import by_id
from tests.support.other_apps import app_like
from tests.tasks.factories import make_task
from webapp.accounts.models import User
from webapp.audit.models import AuditAction, AuditEntry
from webapp.audit.services import log_action
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.operations.bench import QUERY_COUNT_HEADER


@pytest.fixture
def world(app):
    with app.app_context():
        admin = make_user(email="admin@example.org", is_site_admin=True)
        owner = make_user(email="owner@example.org", first_name="Olive", last_name="Owner")
        group = make_group(owner, name="Bee Keepers", slug="bee-keepers")
        other = make_group(owner, name="Wasp Watchers", slug="wasp-watchers")
        member = make_user(email="member@example.org", first_name="Mo", last_name="Member")
        add_member(group, member)
        draft = make_event(group, title="Hive inspection", status="draft")
        going = make_event(group, title="Honey harvest")
        answer_event(member, going, Answer.GOING)
        db.session.commit()
        return {
            "admin": admin.id,
            "owner": owner.id,
            "member": member.id,
            "group": group.id,
            "other": other.id,
            "draft": draft.id,
            "going": going.id,
        }


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    client.get("/")
    return client


def entries(app):
    with app.app_context():
        return [
            (entry.action.value, entry.actor_id, entry.subject_type.value, entry.group_id)
            for entry in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_organisers_event_actions_are_recorded_and_shown_in_the_group_history(app, world):
    owner = logged_in(app, "owner@example.org")
    with app.app_context():
        db.session.execute(sa.delete(AuditEntry))  # the group's creation
        db.session.commit()
        rsvp_id = db.session.scalar(
            sa.text("SELECT id FROM rsvps WHERE event_id = :event"), {"event": world["going"]}
        )

    assert owner.submit(f"/events/{world['draft']}/manage/publish").status_code == 303
    assert owner.submit(f"/events/{world['going']}/attendees/{rsvp_id}/remove").status_code == 303
    assert owner.submit(f"/events/{world['going']}/manage/cancel").status_code == 303
    assert owner.submit(f"/events/{world['draft']}/manage/delete").status_code == 303

    group, actor = world["group"], world["owner"]
    assert entries(app) == [
        ("event_published", actor, "event", group),
        ("attendee_removed", actor, "user", group),
        ("event_cancelled", actor, "event", group),
        ("event_deleted", actor, "event", group),
    ]
    history = owner.get("/groups/bee-keepers/manage/history").get_data(as_text=True)
    assert "Olive Owner published the event Hive inspection" in " ".join(history.split())
    assert "took off an event's list: Mo Member" in " ".join(history.split()).replace("&#39;", "'")


def test_what_is_deleted_for_good_is_recorded_by_its_name(app, world):
    with app.app_context():
        db.session.execute(sa.delete(AuditEntry))  # the group's creation
        db.session.commit()
        group = db.session.get(Group, world["group"])
        poll_id = make_poll(group, question="Which honey first?").id
        task_id = make_task(db.session.get(Event, world["going"]), title="Smoker fuel").id
    owner = logged_in(app, "owner@example.org")

    assert owner.submit(f"/polls/{poll_id}/manage/delete").status_code == 303
    assert owner.submit(f"/tasks/{task_id}/manage/delete").status_code == 303

    group_id, actor = world["group"], world["owner"]
    assert entries(app) == [
        ("poll_deleted", actor, "poll", group_id),
        ("task_deleted", actor, "task", group_id),
    ]
    history = " ".join(
        owner.get("/groups/bee-keepers/manage/history").get_data(as_text=True).split()
    )
    assert "Olive Owner deleted the poll Which honey first?" in history
    assert "Olive Owner deleted the task Smoker fuel" in history


def test_an_edit_records_what_changed(app, world):
    owner = logged_in(app, "owner@example.org")

    response = owner.submit(
        f"/events/{world['going']}/manage/edit", event_data(title="Honey harvest!", venue="Barn")
    )

    assert response.status_code == 303
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == AuditAction.EVENT_EDITED)
        ).one()
        assert entry.actor_id == world["owner"] and entry.subject_id == world["going"]
        assert "title" in entry.detail and "venue" in entry.detail
        assert entry.subject_name == "Honey harvest!"


def test_the_admin_filters_the_log_by_who_what_group_and_when(app, world):
    member = logged_in(app, "member@example.org")
    admin = logged_in(app, "admin@example.org")
    assert member.submit("/groups/wasp-watchers/join").status_code == 303
    owner = logged_in(app, "owner@example.org")
    assert owner.submit(f"/events/{world['draft']}/manage/publish").status_code == 303
    assert admin.submit(f"/admin/groups/{world['other']}/suspend").status_code == 303

    everything = admin.fragment("/admin/audit").get_data(as_text=True)
    by_member = admin.fragment("/admin/audit?actor=MEMBER@example.org").get_data(as_text=True)
    suspensions = admin.fragment("/admin/audit?action=group_suspended").get_data(as_text=True)
    in_bees = admin.fragment("/admin/audit?group=bee-keepers").get_data(as_text=True)
    today = utcnow().date()
    tomorrow = today + timedelta(days=1)
    past = admin.fragment(f"/admin/audit?until={today - timedelta(days=1)}").get_data(as_text=True)
    now = admin.fragment(f"/admin/audit?since={today}&until={tomorrow}").get_data(as_text=True)

    assert by_id(everything, "admin-audit") is not None and "<html" not in everything
    assert "Mo Member joined" in " ".join(by_member.split())
    assert "suspended the group" not in by_member
    assert "suspended the group" in suspensions and "joined" not in suspensions
    assert "published the event" in in_bees and "joined" not in in_bees
    assert "Nothing recorded that matches" in past
    assert "joined" in now and "suspended the group" in now


@pytest.mark.parametrize(
    ("query", "field_message"),
    [
        ("actor=nobody@example.org", "Nobody has that address."),
        ("group=no-such-group", "No group has that address."),
        ("action=explode", "Not a valid choice"),
        ("since=yesterday", "Not a valid date value"),
        ("since=2026-05-02&until=2026-05-01", "The end comes before the start."),
        ("actor=" + "a" * 400, "Field cannot be longer than 320 characters."),
        ("since=99999-01-01", "Not a valid date value"),
    ],
)
def test_bad_filters_answer_422_beside_the_field(app, world, query, field_message):
    admin = logged_in(app, "admin@example.org")

    page = admin.get(f"/admin/audit?{query}")
    fragment = admin.fragment(f"/admin/audit?{query}")

    assert page.status_code == 422 and fragment.status_code == 422
    assert field_message in page.get_data(as_text=True)
    assert field_message in fragment.get_data(as_text=True)


def test_the_log_pages_through_its_rows(app, world):
    with app.app_context():
        for number in range(30):
            log_action(
                None,
                AuditAction.SETTINGS_CHANGED,
                "group",
                world["other"],
                world["other"],
                name=f"Wasp {number}",
            )
        db.session.commit()
    admin = logged_in(app, "admin@example.org")

    first = admin.fragment("/admin/audit").get_data(as_text=True)
    second = admin.fragment("/admin/audit?page=2").get_data(as_text=True)

    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert 'rel="next"' in first
    # A key typed into the address is not the pager's to carry on (the log is paged by
    # number); the other arguments are.
    typed = admin.fragment("/admin/audit?after=junk&before=junk&action=").get_data(as_text=True)
    assert 'rel="next"' in typed
    assert "junk" not in typed
    assert "action=" in typed


PAGES = [
    "/admin",
    "/admin/users",
    "/admin/users?q=example",
    "/admin/groups",
    "/admin/outbox?state=failed",
    "/admin/audit",
    "/admin/audit?group=bee-keepers&actor=owner@example.org",
    "/groups/bee-keepers/manage/history",
]


def statements(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return int(response.headers[QUERY_COUNT_HEADER])


def grow(app, world, rows):
    from tests.admin.support import failed_message

    with app.app_context():
        owner_id, group_id = world["owner"], world["group"]
        for number in range(rows):
            person = make_user(email=f"crowd{rows}-{number}@example.org")
            make_group(person, name=f"Crowd {rows}-{number}")
            log_action(
                db.session.get(User, owner_id),
                AuditAction.SETTINGS_CHANGED,
                "group",
                group_id,
                group_id,
                name="Bee Keepers",
            )
            failed_message(recipient=f"crowd{rows}-{number}@example.org")
        db.session.commit()


@pytest.mark.timeout(120)
def test_admin_pages_cost_the_same_few_statements_however_many_rows(app, world, monkeypatch):
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        grow(counting_app, world, 2)
        admin = logged_in(counting_app, "admin@example.org")
        owner = logged_in(counting_app, "owner@example.org")
        clients = {path: owner if "/groups/" in path else admin for path in PAGES}
        small = {path: statements(clients[path], path) for path in PAGES}
        grow(counting_app, world, 30)
        big = {path: statements(clients[path], path) for path in PAGES}

    assert small == big
    assert max(big.values()) <= 8, big


@pytest.mark.parametrize("action", list(AuditAction), ids=lambda action: action.value)
def test_every_action_reads_as_one_sentence(app, action):
    """Each row is one sentence a translation can reorder, naming who did it and, when
    it is someone or something else, what they did it to."""
    entry = AuditEntry(
        action=action, subject_type="event", subject_id=7, actor_id=None, data={"name": "Fête"}
    )
    with app.test_request_context():
        sentence = entry.what_happened()
    assert sentence.startswith("Someone ")
    assert sentence == f"Someone {action.label} Fête" or sentence == f"Someone {action.label}"
