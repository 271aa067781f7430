"""A group's discussions through HTTP: a member starts one (a title and a first comment;
422 beside the fields when either is missing), the group's page and list show them
pinned first, then the latest talked in; members write in them, follow them by email;
the group's organisers pin, close and hide one (hidden: gone for members, kept marked
for organisers, logged). Discussions are started in an order their activity reverses,
so nothing passes by id."""

from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import field_error
from webapp.audit.models import AuditAction, AuditEntry
from webapp.discussions.mailing import sweep_followers
from webapp.discussions.models import Discussion
from webapp.extensions import db


@pytest.fixture
def world(app):
    """The Choir (Olu owns it, Ines organises), members Ana Ruiz and Bo Lee, Zed outside;
    the Walkers, another group of Ana's."""
    with app.app_context():
        people = {
            name: make_user(email=f"{name}@example.org", first_name=first, last_name=last)
            for name, first, last in (
                ("zed", "Zed", "Moss"),
                ("olu", "Olu", "Ade"),
                ("bo", "Bo", "Lee"),
                ("ana", "Ana", "Ruiz"),
                ("ines", "Ines", "Roy"),
            )
        }
        walkers = make_group(make_user(), name="Walkers")
        add_member(walkers, people["ana"])
        choir = make_group(people["olu"], name="Choir")
        add_member(choir, people["ines"], role="organiser")
        for name in ("ana", "bo"):
            add_member(choir, people[name])
        return {"slug": choir.slug, "walkers": walkers.slug}


def as_(app, name):
    return logged_in(app, f"{name}@example.org")


def start(client, world, title, body, htmx=False):
    return client.submit(
        f"/groups/{world['slug']}/discussions/new", {"title": title, "body": body}, htmx=htmx
    )


def discussion_id(app, title):
    with app.app_context():
        return db.session.scalar(sa.select(Discussion.id).where(Discussion.title == title))


def page_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return unescape(response.text)


def test_a_member_starts_a_discussion_and_the_group_reads_it(app, world):
    ana = as_(app, "ana")
    assert ana.get(f"/groups/{world['slug']}/discussions/new").status_code == 200
    response = start(ana, world, "Spring concert songs", "Which songs shall we **sing**?")
    number = discussion_id(app, "Spring concert songs")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/discussions/{number}")
    for name in ("bo", "ines", "olu"):
        page = page_of(as_(app, name), f"/discussions/{number}")
        assert "<h1>Spring concert songs</h1>" in page
        assert "<strong>sing</strong>" in page and "Ana Ruiz" in page
        group_page = page_of(as_(app, name), f"/groups/{world['slug']}")
        assert "Spring concert songs" in group_page
    # Outside the group: nothing of it, anywhere.
    for client in (app.test_client(), as_(app, "zed")):
        assert client.get(f"/discussions/{number}").status_code == 404
        assert "Spring concert songs" not in page_of(client, f"/groups/{world['slug']}")


@pytest.mark.parametrize("htmx", [False, True])
def test_a_discussion_without_a_title_or_words_is_refused_beside_them(app, world, htmx):
    response = start(as_(app, "ana"), world, "", "", htmx=htmx)
    assert response.status_code == 422
    assert "Give the discussion a title." in field_error(response, "title")
    assert "Write something first." in field_error(response, "body")
    long = start(as_(app, "ana"), world, "x" * 151, "Fine", htmx=htmx)
    assert long.status_code == 422 and field_error(long, "title")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Discussion)) == 0


def test_the_list_shows_pinned_first_then_the_latest_talked_in(app, world):
    ana = as_(app, "ana")
    for title in ("Rehearsal times", "Robes", "Car shares"):
        start(ana, world, title, f"About {title.lower()}")
    rehearsal = discussion_id(app, "Rehearsal times")
    robes = discussion_id(app, "Robes")
    # Talk in the oldest: it comes first.
    assert (
        as_(app, "bo")
        .submit(f"/discussions/{rehearsal}", {"comment-body": "Tuesdays?"})
        .status_code
        == 303
    )
    listing = page_of(ana, f"/groups/{world['slug']}/discussions")
    assert listing.index("Rehearsal times") < listing.index("Car shares") < listing.index("Robes")
    assert (
        as_(app, "ines").submit(f"/discussions/{robes}/manage/pin", {"on": "1"}).status_code == 303
    )
    listing = page_of(ana, f"/groups/{world['slug']}/discussions")
    assert listing.index("Robes") < listing.index("Rehearsal times") < listing.index("Car shares")
    assert (
        as_(app, "ana").submit(f"/discussions/{robes}/manage/pin", {"on": "0"}).status_code == 403
    )


def test_a_closed_discussion_takes_only_its_organisers(app, world):
    start(as_(app, "ana"), world, "Robes", "Blue or red?")
    number = discussion_id(app, "Robes")
    ines = as_(app, "ines")
    assert ines.submit(f"/discussions/{number}/manage/lock", {"locked": "1"}).status_code == 303
    refused = as_(app, "bo").submit(f"/discussions/{number}", {"comment-body": "Red!"})
    assert refused.status_code == 422
    assert "closed" in field_error(refused, "comment-body")
    assert ines.submit(f"/discussions/{number}", {"comment-body": "Blue it is."}).status_code == 303
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert AuditAction.DISCUSSION_LOCKED in actions


def test_a_hidden_discussion_is_gone_for_members_and_kept_for_organisers(app, world):
    start(as_(app, "bo"), world, "Buy cheap tickets", "Spam spam")
    number = discussion_id(app, "Buy cheap tickets")
    assert (
        as_(app, "bo").submit(f"/discussions/{number}/manage/hide", {"on": "1"}).status_code == 403
    )
    assert (
        as_(app, "olu").submit(f"/discussions/{number}/manage/hide", {"on": "1"}).status_code == 303
    )
    for name in ("ana", "bo"):
        assert as_(app, name).get(f"/discussions/{number}").status_code == 404
        assert "Buy cheap tickets" not in page_of(
            as_(app, name), f"/groups/{world['slug']}/discussions"
        )
    page = page_of(as_(app, "ines"), f"/discussions/{number}")
    assert "Hidden by an organiser" in page
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == AuditAction.DISCUSSION_HIDDEN)
        )
        assert entry.data["name"] == "Buy cheap tickets"
    assert (
        as_(app, "olu").submit(f"/discussions/{number}/manage/hide", {"on": "0"}).status_code == 303
    )
    assert as_(app, "ana").get(f"/discussions/{number}").status_code == 200


def test_replies_edits_and_moderation_of_a_discussions_comments_come_back_to_it(app, world):
    start(as_(app, "ana"), world, "Car shares", "Who drives on Sunday?")
    number = discussion_id(app, "Car shares")
    with app.app_context():
        from webapp.discussions.models import Comment

        first = db.session.scalar(sa.select(Comment.id).where(Comment.discussion_id == number))
    reply = as_(app, "bo").submit(f"/comments/{first}/reply", {"reply-body": "I do"})
    assert (
        reply.status_code == 303 and f"/discussions/{number}#comment-" in reply.headers["Location"]
    )
    hidden = as_(app, "ines").submit(f"/comments/{first}/manage/hide", htmx=True)
    assert hidden.status_code == 200 and f'id="discussion-{number}"' in hidden.text
    assert "Who drives on Sunday?" not in page_of(as_(app, "bo"), f"/discussions/{number}")


def test_followers_of_a_discussion_are_emailed_with_a_link_to_it(app, world, mailbox):
    start(as_(app, "ana"), world, "Car shares", "Who drives on Sunday?")
    number = discussion_id(app, "Car shares")
    as_(app, "bo").submit(f"/discussions/{number}", {"comment-body": "I do, @ana-ruiz"})
    mentioned = [m for m in mailbox.messages("ana@example.org") if "mentioned you" in m["Subject"]]
    assert [m["Subject"] for m in mentioned] == ["Bo Lee mentioned you: Car shares"]
    (news,) = [m for m in mailbox.messages("ana@example.org") if m["Subject"].startswith("New")]
    assert f"/discussions/{number}#comment-" in mailbox.text(news)
    with app.app_context():
        from webapp.database.times import utcnow

        assert sweep_followers(now=utcnow() + timedelta(hours=2)) == 0


def test_another_groups_member_cannot_start_one_here(app, world):
    assert start(as_(app, "zed"), world, "Hello", "Hi").status_code == 403
    assert as_(app, "ana").get(f"/groups/{world['walkers']}/discussions").status_code == 200


def test_with_htmx_a_started_discussion_opens_its_own_page(app, world):
    response = start(as_(app, "ana"), world, "Robes", "Blue or red?", htmx=True)
    number = discussion_id(app, "Robes")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/discussions/{number}"
