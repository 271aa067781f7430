"""Announcements in the public Atom feeds: those a public group's organisers made public
carry there once they go, newest first among the events, and nothing else does (a
members' announcement, one still waiting or withdrawn, a private or suspended group's);
anyone may open a public one's page, and only those it went to may mark it read. Writing
one offers "Public" for a public group's whole-group announcements alone. Sending one
moves the feeds on; a members' announcement leaves them alone. Its organisers may make a
public one members-only once it has gone: the feeds drop it and its page closes to all
but those it went to.

Groups and announcements are made so those to leave out come between those to show,
and each group's in an order other than the one the feed gives."""

from datetime import timedelta

import feedparser
import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.accounts.factories import make_user
from tests.announcements.factories import make_announcement
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.races import logged_in_clients, post_at_once
from webapp.announcements.models import Announcement, AnnouncementState
from webapp.announcements.sending import write_batch
from webapp.audit.models import AuditAction, AuditEntry
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.jobs import job_context

# (slug, visibility, suspended) and whether its public announcements show.
GROUPS = (
    ("quiet", "private", False, False),
    ("walkers", "public", False, True),
    ("frozen", "public", True, False),
    ("readers", "public", False, True),
)
# (subject stem, how it is made) and whether it shows, in a group that shows.
ANNOUNCEMENTS = (
    ("members news", {}, False),
    ("open news", {"public": True}, True),
    ("coming news", {"public": True, "in_days": 5}, False),
    ("dropped news", {"public": True, "in_days": 6, "withdrawn": True}, False),
    ("older news", {"public": True, "hours_ago": 30}, True),
)


@pytest.fixture
def town(app):
    """{"shown": {slug: subjects}, "ids": {subject or "<slug> walk": id}}."""
    shown, ids = {}, {}
    with app.app_context():
        olu = make_user(email="olu@example.org")
        add_member_of = {}
        for slug, visibility, suspended, group_shows in GROUPS:
            group = make_group(
                olu,
                name=slug.title(),
                slug=slug,
                visibility=visibility,
                suspended_at=utcnow() if suspended else None,
            )
            add_member_of[slug] = group
            walk = make_event(group, title=f"{slug} walk", starts_in=timedelta(days=3))
            ids[f"{slug} walk"] = walk.id
            shown[slug] = []
            for stem, how, shows in ANNOUNCEMENTS:
                how = dict(how)
                withdrawn = how.pop("withdrawn", False)
                hours_ago = how.pop("hours_ago", 0)
                subject = f"{slug} {stem}"
                said = make_announcement(group, olu, subject=subject, **how)
                if withdrawn:
                    said.state = AnnouncementState.WITHDRAWN
                if hours_ago:
                    said.send_at = said.sent_at = utcnow() - timedelta(hours=hours_ago)
                db.session.commit()
                ids[subject] = said.id
                if group_shows and shows:
                    shown[slug].append(subject)
        add_member(add_member_of["walkers"], make_user(email="mia@example.org"))
        db.session.commit()
    return {"shown": shown, "ids": ids}


def atom(response):
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def news(feed):
    return [entry.title for entry in feed.entries if "news" in entry.title]


def test_the_feeds_carry_public_announcements_once_gone_and_nothing_else(client, town):
    site = atom(client.get("/events.atom"))
    assert sorted(news(site)) == sorted(town["shown"]["walkers"] + town["shown"]["readers"])
    for slug, _visibility, _suspended, shows in GROUPS:
        response = client.get(f"/groups/{slug}/events.atom")
        if not shows:
            assert response.status_code == 404
            continue
        assert news(atom(response)) == [f"{slug} open news", f"{slug} older news"]
    # An entry: its page, its group, its words; newest first among the events.
    feed = atom(client.get("/groups/walkers/events.atom"))
    entry = next(e for e in feed.entries if e.title == "walkers open news")
    assert entry.link.endswith(f"/announcements/{town['ids']['walkers open news']}")
    assert entry.author == "Walkers"
    assert "Lanterns at dusk." in entry.content[0].value
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)
    assert [e.title for e in feed.entries][-1] == "walkers older news"
    # A search word finds them too; calendars hold events alone.
    found = news(atom(client.get("/events.atom?q=OLDER")))
    assert sorted(found) == ["readers older news", "walkers older news"]
    calendar = Calendar.from_ical(client.get("/events.ics").data)
    assert not [e for e in calendar.walk("VEVENT") if "news" in str(e["SUMMARY"])]


def test_anyone_reads_a_public_announcement_and_only_its_people_mark_it(app, client, town):
    ids = town["ids"]
    page = client.get(f"/announcements/{ids['walkers open news']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Lanterns at dusk." in text and 'href="/groups/walkers"' in text
    assert "Mark as read" not in text
    for subject in ("walkers members news", "walkers coming news", "quiet open news"):
        assert client.get(f"/announcements/{ids[subject]}").status_code == 404, subject
    assert client.get(f"/announcements/{ids['frozen open news']}").status_code == 404
    stranger = logged_in(app, make_stranger(app))
    read = stranger.submit(f"/announcements/{ids['walkers open news']}/read", {})
    assert read.status_code == 403
    mia = logged_in(app, "mia@example.org")
    assert mia.submit(f"/announcements/{ids['walkers open news']}/read", {}).status_code == 303


def make_stranger(app):
    with app.app_context():
        return make_user(email="stranger@example.org").email


def test_public_is_offered_for_a_public_groups_whole_group_announcements_alone(
    app, monkeypatch, town
):
    # The world's own announcements leave room for these under the weekly cap.
    monkeypatch.setitem(app.config, "ANNOUNCEMENTS_PER_WEEK", 20)
    olu = logged_in(app, "olu@example.org")
    offered = olu.get("/groups/walkers/announcements/new").get_data(as_text=True)
    assert 'name="public"' in offered and "Public: anyone may read it" in offered
    for elsewhere in (
        "/groups/quiet/announcements/new",
        f"/events/{town['ids']['walkers walk']}/announcements/new",
    ):
        assert 'name="public"' not in olu.get(elsewhere).get_data(as_text=True), elsewhere
    # A private group's announcement stays its members', whatever the form is sent.
    sent = olu.submit(
        "/groups/quiet/announcements/new",
        {"subject": "Quiet news", "body": "Shh.", "when": "now", "public": "y"},
    )
    assert sent.status_code == 303
    with app.app_context():
        said = db.session.scalar(
            db.select(Announcement).where(Announcement.subject == "Quiet news")
        )
        assert said.public is False


def test_sending_a_public_one_moves_the_feeds_on_and_a_members_one_does_not(
    app, monkeypatch, client, town
):
    monkeypatch.setitem(app.config, "ANNOUNCEMENTS_PER_WEEK", 20)
    feed = "/groups/walkers/events.atom"
    before = client.get(feed).headers["ETag"]
    olu = logged_in(app, "olu@example.org")
    members = {"subject": "Members only", "body": "Inside.", "when": "now"}
    assert olu.submit("/groups/walkers/announcements/new", members).status_code == 303
    assert client.get(feed, headers={"If-None-Match": before}).status_code == 304

    public = {"subject": "Open day", "body": "All welcome.", "when": "now", "public": "y"}
    assert olu.submit("/groups/walkers/announcements/new", public).status_code == 303
    moved = client.get(feed, headers={"If-None-Match": before})
    assert moved.status_code == 200
    assert "Open day" in [e.title for e in atom(moved).entries]
    assert "Members only" not in moved.get_data(as_text=True)

    # One that waited goes (its sending job): the feeds move on and carry it.
    before = moved.headers["ETag"]
    with app.app_context(), job_context():
        write_batch(town["ids"]["walkers coming news"], now=utcnow() + timedelta(days=6))
    moved = client.get(feed, headers={"If-None-Match": before})
    assert moved.status_code == 200
    assert "walkers coming news" in [e.title for e in atom(moved).entries]


def members_only_of(ids, subject):
    return f"/announcements/{ids[subject]}/members-only"


def test_made_members_only_it_leaves_the_feeds_and_its_page_closes_to_all_but_its_people(
    app, client, town
):
    ids = town["ids"]
    feed = "/groups/walkers/events.atom"
    before = client.get(feed).headers["ETag"]
    olu = logged_in(app, "olu@example.org")
    page = olu.get(f"/announcements/{ids['walkers open news']}").get_data(as_text=True)
    assert "Public: anyone may read it" in page
    assert f'action="{members_only_of(ids, "walkers open news")}"' in page
    asked = olu.get(members_only_of(ids, "walkers open news")).get_data(as_text=True)
    assert "Make “walkers open news” members-only?" in asked

    done = olu.submit(members_only_of(ids, "walkers open news"))
    assert done.status_code == 303
    assert done.headers["Location"] == f"/announcements/{ids['walkers open news']}"
    page = olu.get(done.headers["Location"]).get_data(as_text=True)
    assert "The announcement is for members only now" in page
    assert "Public: anyone may read it" not in page and 'members-only"' not in page

    # Gone from the feeds (theirs moved on) and from the open web; the other public one,
    # written earlier, stays.
    moved = client.get(feed, headers={"If-None-Match": before})
    assert moved.status_code == 200
    assert news(atom(moved)) == ["walkers older news"]
    assert "walkers open news" not in news(atom(client.get("/events.atom")))
    assert client.get(f"/announcements/{ids['walkers open news']}").status_code == 404
    stranger = logged_in(app, make_stranger(app))
    assert stranger.get(f"/announcements/{ids['walkers open news']}").status_code == 404
    # Its people still read it.
    mia = logged_in(app, "mia@example.org")
    assert mia.get(f"/announcements/{ids['walkers open news']}").status_code == 200
    with app.app_context():
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == AuditAction.ANNOUNCEMENT_MEMBERS_ONLY)
        ).all()
        assert [(entry.subject_id, entry.data["name"]) for entry in entries] == [
            (ids["walkers open news"], "walkers open news")
        ]
    # Once members-only, there is nothing left to take off the open web.
    assert olu.submit(members_only_of(ids, "walkers open news")).status_code == 403
    assert olu.submit(members_only_of(ids, "walkers members news")).status_code == 403
    assert mia.submit(members_only_of(ids, "walkers older news")).status_code == 403


@pytest.mark.postgres
def test_two_organisers_at_once_make_it_members_only_once(app, town):
    ids = town["ids"]
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == "walkers"))
        add_member(group, make_user(email="ada@example.org"), role="organiser")
        db.session.commit()
    clients = logged_in_clients(app, ["olu@example.org", "ada@example.org"])
    statuses = post_at_once(clients, members_only_of(ids, "walkers older news"), {})
    # The other is refused: as it was loaded (403) or under the row's lock (422).
    assert sorted(statuses)[0] == 303 and sorted(statuses)[1] in (403, 422), statuses
    with app.app_context():
        assert not db.session.get(Announcement, ids["walkers older news"]).public
        count = sa.select(sa.func.count()).where(
            AuditEntry.action == AuditAction.ANNOUNCEMENT_MEMBERS_ONLY
        )
        assert db.session.scalar(count) == 1
