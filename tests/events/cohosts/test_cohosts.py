"""Co-hosts through HTTP: the group's organisers name members co-hosts of an event and
remove them, on a page of the event's (a page and an htmx fragment; 422 beside the field
for someone who cannot be one); the event's page shows them; leaving the group, being
removed from it or deleting one's account ends a co-hostship; the audit log and the data
download hold them. The event is not the group's first, and the people named have higher
ids than those not named, so nothing passes by order."""

from html import unescape

import sqlalchemy as sa

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import field_error, html
from tests.your_data.support import zip_json
from webapp.accounts.models import User
from webapp.audit.models import AuditAction, AuditEntry
from webapp.events.cohosts import queries
from webapp.events.cohosts.models import EventCohost
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Membership
from webapp.your_data.export_zip import build_zip

PEOPLE = ("ines", "pat", "zed", "ada", "bo")


def build(app):
    """The Walkers (Olu owns them, Ines organises), their First walk and Night walk; Ada
    and Bo members, Pat asking to join, Zed outside; and the Choir, Ada's other group."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Ade")
        people = {
            name: make_user(email=f"{name}@example.org", first_name=name.title(), last_name="Lee")
            for name in PEOPLE
        }
        walkers = make_group(olu, name="Walkers")
        add_member(walkers, people["ines"], role="organiser")
        add_member(walkers, people["pat"], status="pending")
        for name in ("ada", "bo"):
            add_member(walkers, people[name])
        first = make_event(walkers, title="First walk")
        night = make_event(walkers, title="Night walk")
        choir = make_group(make_user(), name="Choir")
        add_member(choir, people["ada"])
        concert = make_event(choir, title="Concert")
        return {
            "event": night.id,
            "first": first.id,
            "concert": concert.id,
            "slug": walkers.slug,
            "choir": choir.slug,
            **{name: person.id for name, person in people.items()},
        }


def page(world):
    return f"/events/{world['event']}/cohosts"


def name(client, world, person, htmx=False):
    return client.submit(page(world), {"member": str(person)}, htmx=htmx)


def rows(app):
    with app.app_context():
        return db.session.execute(
            sa.select(EventCohost.event_id, EventCohost.user_id, EventCohost.added_by_id).order_by(
                EventCohost.event_id, EventCohost.user_id
            )
        ).all()


def audit(app, action):
    with app.app_context():
        return db.session.execute(
            sa.select(AuditEntry.subject_id, AuditEntry.data).where(AuditEntry.action == action)
        ).all()


def test_organisers_name_cohosts_and_remove_them(app):
    world = build(app)
    olu = logged_in(app, "olu@example.org")

    shown = olu.get(page(world))
    assert shown.status_code == 200
    options = html(shown)
    # The group's active members, by name; not someone asking to join, nor a stranger.
    assert options.index("Ada Lee (ada@example.org)") < options.index("Bo Lee (bo@example.org)")
    assert "pat@example.org" not in options and "zed@example.org" not in options
    assert "No co-hosts yet." in options

    added = name(olu, world, world["ada"])
    assert added.status_code == 303 and added.location == page(world)
    assert "Ada Lee co-hosts this event now." in html(olu.get(added.location))
    fragment = name(olu, world, world["bo"], htmx=True)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="event-cohosts-manage"')
    assert "Bo Lee co-hosts this event now." in fragment.text
    with app.app_context():
        olu_id = db.session.scalar(sa.select(User.id).where(User.email == "olu@example.org"))
        assert db.session.get(Event, world["event"]).has_cohosts
        assert not db.session.get(Event, world["first"]).has_cohosts
    assert rows(app) == [
        (world["event"], world["ada"], olu_id),
        (world["event"], world["bo"], olu_id),
    ]
    assert sorted(audit(app, AuditAction.COHOST_ADDED)) == [
        (world["ada"], {"name": "Ada Lee", "email": "ada@example.org", "detail": "Night walk"}),
        (world["bo"], {"name": "Bo Lee", "email": "bo@example.org", "detail": "Night walk"}),
    ]
    # Named, they leave the list of those who could be.
    assert "ada@example.org" not in html(olu.get(page(world))).split('id="member"')[1]

    removed = olu.submit(f"{page(world)}/{world['ada']}/remove")
    assert removed.status_code == 303 and removed.location == page(world)
    assert "Ada Lee no longer co-hosts this event." in html(olu.get(removed.location))
    again = olu.submit(f"{page(world)}/{world['ada']}/remove", htmx=True)
    assert again.status_code == 200
    assert "That person was not a co-host of this event any more." in again.text
    assert rows(app) == [(world["event"], world["bo"], olu_id)]
    assert [subject for subject, _data in audit(app, AuditAction.COHOST_REMOVED)] == [world["ada"]]
    history = unescape(html(olu.get(f"/groups/{world['slug']}/manage/history")))
    assert "Olu Ade made an event's co-host: Ada Lee" in history
    assert "Olu Ade removed an event's co-host: Ada Lee" in history
    assert "(Night walk)" in history


def test_who_cannot_be_a_cohost_is_refused_beside_the_field(app):
    world = build(app)
    make_cohost_of(app, world, "bo")
    ines = logged_in(app, "ines@example.org")
    before = rows(app)

    with app.app_context():
        # Kit, a member whose account an admin deactivated.
        kit = make_user(email="kit@example.org", first_name="Kit", active=False)
        add_member(db.session.get(Event, world["event"]).group, kit)
        kit_id = kit.id
    assert "kit@example.org" not in html(ines.get(page(world)))
    for person, message in [
        (kit_id, "Choose an active member of the group."),
        (world["zed"], "Choose an active member of the group."),
        (world["pat"], "Choose an active member of the group."),
        (999_999, "Choose an active member of the group."),
        ("x1", "Choose a member of the group."),
        ("", "Choose a member of the group."),
        ("2147483648", "Choose a member of the group."),
        (world["bo"], "Bo Lee co-hosts this event already."),
    ]:
        for htmx in (False, True):
            refused = name(ines, world, person, htmx=htmx)
            assert refused.status_code == 422, person
            assert field_error(refused, "member") == message, person
            assert 'aria-invalid="true"' in refused.text
    assert rows(app) == before
    assert audit(app, AuditAction.COHOST_ADDED) == []


def make_cohost_of(app, world, person, event="event"):
    with app.app_context():
        make_cohost(db.session.get(Event, world[event]), db.session.get(User, world[person]))


def test_the_event_page_shows_its_cohosts_to_everyone_who_sees_it(app):
    world = build(app)
    plain = app.test_client().get(f"/events/{world['event']}-night-walk")
    assert "Hosted by" not in html(plain)
    make_cohost_of(app, world, "bo")
    make_cohost_of(app, world, "ada")

    for client in (app.test_client(), logged_in(app, "zed@example.org")):
        shown = html(client.get(f"/events/{world['event']}-night-walk"))
        assert "Walkers, with co-hosts Ada Lee and Bo Lee" in shown
    other = html(app.test_client().get(f"/events/{world['first']}-first-walk"))
    assert "Hosted by" not in other


def test_only_the_groups_organisers_name_cohosts(app):
    world = build(app)
    make_cohost_of(app, world, "ada")
    for email, status in (("ada@example.org", 403), ("bo@example.org", 403)):
        client = logged_in(app, email)
        assert client.get(page(world)).status_code == status
        assert name(client, world, world["bo"]).status_code == status
        assert client.submit(f"{page(world)}/{world['ada']}/remove").status_code == status
    assert app.test_client().get(page(world)).location.startswith("/login?next=")
    assert [user for _event, user, _by in rows(app)] == [world["ada"]]
    # The organiser finds the page from the event's.
    event_page = html(
        logged_in(app, "ines@example.org").get(f"/events/{world['event']}-night-walk")
    )
    assert f'href="{page(world)}"' in event_page
    assert f'href="{page(world)}"' not in html(
        logged_in(app, "ada@example.org").get(f"/events/{world['event']}-night-walk")
    )


def test_leaving_the_group_or_being_removed_ends_cohosting_there(app):
    world = build(app)
    for person, event in (("ada", "event"), ("ada", "first"), ("ada", "concert"), ("bo", "event")):
        make_cohost_of(app, world, person, event)
    ada = logged_in(app, "ada@example.org")
    assert ada.submit(f"/groups/{world['slug']}/leave").status_code == 303
    assert [(e, u) for e, u, _ in rows(app)] == [
        (world["event"], world["bo"]),
        (world["concert"], world["ada"]),
    ]

    olu = logged_in(app, "olu@example.org")
    with app.app_context():
        bo_membership = db.session.scalar(
            sa.select(Membership.id).where(Membership.user_id == world["bo"])
        )
    removed = olu.submit(f"/groups/{world['slug']}/manage/members/{bo_membership}/remove")
    assert removed.status_code == 303
    assert [(e, u) for e, u, _ in rows(app)] == [(world["concert"], world["ada"])]
    # Back in the group, a member co-hosts nothing until named again.
    assert ada.submit(f"/groups/{world['slug']}/join").status_code == 303
    assert ada.get(f"/events/{world['event']}/manage/edit").status_code == 403


def test_a_deleted_account_takes_its_cohostships_along(app):
    world = build(app)
    olu = logged_in(app, "olu@example.org")
    assert name(olu, world, world["ada"]).status_code == 303
    make_cohost_of(app, world, "ada", "concert")
    ines = logged_in(app, "ines@example.org")
    assert name(ines, world, world["bo"]).status_code == 303

    ada = logged_in(app, "ada@example.org")
    assert ada.submit("/settings/delete", {"password": DEFAULT_PASSWORD}).status_code == 303
    assert [u for _e, u, _ in rows(app)] == [world["bo"]]
    # Someone who named a co-host and left: the co-hostship stays, by nobody now.
    assert ines.submit("/settings/delete", {"password": DEFAULT_PASSWORD}).status_code == 303
    assert rows(app) == [(world["event"], world["bo"], None)]


def test_the_data_download_lists_the_events_one_cohosts(app):
    world = build(app)
    make_cohost_of(app, world, "ada", "concert")
    make_cohost_of(app, world, "ada")
    make_cohost_of(app, world, "bo", "first")
    with app.app_context():
        data = build_zip(db.session.get(User, world["ada"]))
    listed = zip_json(data, "events_cohosted.json")
    assert sorted((e["title"], e["group"]) for e in listed) == [
        ("Concert", "Choir"),
        ("Night walk", "Walkers"),
    ]
    assert all(e["cohost_since"] for e in listed)


def test_a_search_finds_members_past_those_listed(app, monkeypatch):
    world = build(app)
    monkeypatch.setattr(queries, "CANDIDATES_SHOWN", 2)
    monkeypatch.setattr("webapp.events.cohosts.manage_cohosts.CANDIDATES_SHOWN", 2)
    olu = logged_in(app, "olu@example.org")

    listed = html(olu.get(page(world)))
    assert "search to find others" in listed
    # By name: Ada and Bo, then Ines and Olu past the two shown.
    assert "Bo Lee (bo@example.org)" in listed and "ines@example.org" not in listed
    found = html(olu.get(page(world) + "?q=INES"))
    assert "Ines Lee (ines@example.org)" in found and "ada@example.org" not in found
    assert "search to find others" not in found
    nobody = html(olu.get(page(world) + "?q=nobody-here"))
    assert "No member who is not a co-host matches “nobody-here”." in nobody
