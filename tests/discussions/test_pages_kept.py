"""Each web process keeps a thread's pages by the thread's version
(webapp.discussions.queries) and its comments' HTML by what they show
(webapp.discussions.rendering). Every test here reads the pages first, so that they are
kept, then changes what they show, and reads them again: the change shows at once, to
everyone, each in their own zone and language, with their own CSRF token."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.discussions.factories import make_comment
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from webapp.accounts.models import User
from webapp.discussions.models import Comment, Discussion
from webapp.events.models import Event
from webapp.extensions import db

TOKEN_IN_FORM = re.compile(
    r'action="(/comments/\d+/manage/hide[^"]*)"[^>]*>\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)"'
)


@pytest.fixture
def world(app):
    """The Walkers (Olu owns them, Ines organises), members Ana Ruiz (New York) and Bo
    Lee (Tokyo, reading Spanish); their Picnic."""
    with app.app_context():
        people = {
            "olu": make_user(email="olu@example.org", first_name="Olu", last_name="Ade"),
            "ines": make_user(email="ines@example.org", first_name="Ines", last_name="Roy"),
            "bo": make_user(
                email="bo@example.org",
                first_name="Bo",
                last_name="Lee",
                time_zone="Asia/Tokyo",
                language="es",
            ),
            "ana": make_user(
                email="ana@example.org",
                first_name="Ana",
                last_name="Ruiz",
                time_zone="America/New_York",
            ),
        }
        walkers = make_group(people["olu"], name="Walkers")
        add_member(walkers, people["ines"], role="organiser")
        add_member(walkers, people["bo"])
        add_member(walkers, people["ana"])
        make_event(walkers, title="Earlier walk")
        picnic = make_event(walkers, title="Picnic")
        return {"event": picnic.id, **{name: person.id for name, person in people.items()}}


def as_(app, name):
    return logged_in(app, f"{name}@example.org")


def comment_by(app, world, name, body):
    with app.app_context():
        return make_comment(
            db.session.get(Event, world["event"]), db.session.get(User, world[name]), body
        ).id


def pages(client, world):
    """The event's page and its comments' page, as client reads them."""
    read = []
    for path in (f"/events/{world['event']}-picnic", f"/events/{world['event']}/comments"):
        response = client.get(path)
        assert response.status_code == 200
        read.append(unescape(response.text))
    return read


def test_a_renamed_author_shows_by_the_new_name_on_pages_read_before(app, world):
    comment_by(app, world, "ana", "I bring the lemonade")
    bo = as_(app, "bo")
    assert all("Ana Ruiz" in page for page in pages(bo, world))
    ana = as_(app, "ana")
    renamed = ana.submit(
        "/settings/profile",
        {
            "profile-first_name": "Ana",
            "profile-last_name": "Rivera",
            "profile-time_zone": "America/New_York",
            "profile-appearance": "system",
        },
    )
    assert renamed.status_code == 303
    for page in pages(bo, world):
        assert "Ana Rivera" in page and "Ana Ruiz" not in page


def test_an_account_its_owner_deleted_leaves_a_former_member_on_pages_read_before(app, world):
    comment_by(app, world, "bo", "Bo was here")
    ana = as_(app, "ana")
    assert all("Bo Lee" in page for page in pages(ana, world))
    deleted = as_(app, "bo").submit("/settings/delete", {"password": DEFAULT_PASSWORD})
    assert deleted.status_code == 303
    for page in pages(ana, world):
        assert "Bo was here" in page and "A former member" in page and "Bo Lee" not in page


def test_a_thread_put_back_as_it_was_and_changed_again_shows_the_new_change(app, world):
    """A database put back from a copy (as a restore does) holds the thread as it was,
    version and all; its next change must not be taken for the change it had before."""
    with app.app_context():
        event = db.session.get(Event, world["event"])
        make_comment(event, db.session.get(User, world["olu"]), "Welcome, all")
        discussion = db.session.scalar(
            sa.select(Discussion).where(Discussion.event_id == world["event"])
        )
        copy = {
            column: getattr(discussion, column)
            for column in ("version", "comment_count", "last_comment_id", "last_comment_at")
        }
    comment_by(app, world, "ana", "First words")
    ines = as_(app, "ines")
    assert all("First words" in page for page in pages(ines, world))
    with app.app_context():
        db.session.execute(sa.delete(Comment).where(Comment.body == "First words"))
        db.session.execute(
            sa.update(Discussion).where(Discussion.event_id == world["event"]).values(**copy)
        )
        db.session.commit()
    comment_by(app, world, "ana", "Second words")
    for page in pages(ines, world):
        assert "Second words" in page and "First words" not in page


def test_each_reader_sees_times_in_their_zone_and_words_in_their_language(app, world):
    comment_id = comment_by(app, world, "olu", "See you at noon")
    with app.app_context():
        db.session.execute(
            sa.update(Comment)
            .where(Comment.id == comment_id)
            .values(created_at=datetime(2026, 12, 5, 18, 0, tzinfo=UTC))
        )
        db.session.commit()
    # Read in turn, twice each: every reader after another, and after themselves.
    readers = {"ana": (", 13:00", "Reply"), "bo": (", 03:00", "Responder")}
    for _round in range(2):
        for name, (clock, reply) in readers.items():
            for page in pages(as_(app, name), world):
                article = page[page.index('id="comment-') :]
                article = article[: article.index("</article>")]
                assert clock in article and f">{reply}<" in article


def test_the_organisers_forms_carry_each_ones_own_token(app, world):
    """The HTML kept for a comment holds no token of its own: each reader's page gets
    theirs, and a form posted with another's is refused."""
    comment_id = comment_by(app, world, "ana", "Buy cheap watches")
    olu, ines = as_(app, "olu"), as_(app, "ines")
    forms = {}
    for name, client in (("olu", olu), ("ines", ines)):
        for page in pages(client, world):
            found = TOKEN_IN_FORM.findall(page)
            assert found and "\x00" not in page
            forms.setdefault(name, []).extend(found)
    (olu_action, olu_token), *_ = forms["olu"]
    (_ines_action, ines_token), *_ = forms["ines"]
    assert olu_action.startswith(f"/comments/{comment_id}/manage/hide")
    refused = olu.submit(olu_action, {"csrf_token": ines_token}, csrf=False)
    assert refused.status_code == 400
    hidden = olu.submit(olu_action, {"csrf_token": olu_token}, csrf=False)
    assert hidden.status_code == 303
    for page in pages(as_(app, "bo"), world):
        assert "Buy cheap watches" not in page


def test_a_refused_comment_comes_back_to_its_writer_alone(app, world):
    """A section with a refused comment's words is its writer's: not kept, so neither
    another reader nor the writer's next page shows those words."""
    comment_by(app, world, "olu", "Welcome, all")
    assert as_(app, "ines").submit(
        f"/events/{world['event']}/comments/lock", {"locked": "1"}
    ).status_code in (200, 303)
    olu, ana = as_(app, "olu"), as_(app, "ana")
    assert all("Comments are closed" in page for page in pages(olu, world))
    refused = ana.submit(
        f"/events/{world['event']}/comments", {"comment-body": "Words of my own draft"}
    )
    assert refused.status_code == 422 and "Words of my own draft" in unescape(refused.text)
    for reader in (olu, ana):
        for page in pages(reader, world):
            assert "Comments are closed" in page and "Words of my own draft" not in page


def test_each_reader_sees_their_own_following_and_their_own_comments_actions(app, world):
    comment_by(app, world, "ana", "I bring the lemonade")
    ana, bo = as_(app, "ana"), as_(app, "bo")
    for _round in range(2):
        for page in pages(ana, world):
            assert "Stop following by email" in page and "Edit your comment" in page
            assert "Remove your comment" in page and "Report the comment by" not in page
        for page in pages(bo, world):
            assert "Seguir por correo" in page and "Avisar" in page
            assert "Editar tu comentario" not in page and "Quitar tu comentario" not in page


def test_the_edit_link_goes_when_the_window_closes_on_a_kept_page(app, world, monkeypatch):
    from webapp.discussions import threads

    comment_by(app, world, "ana", "Meet at 10")
    ana = as_(app, "ana")
    assert all("Edit your comment" in page for page in pages(ana, world))
    later = threads.utcnow() + timedelta(minutes=31)
    monkeypatch.setattr(threads, "utcnow", lambda: later)
    for page in pages(ana, world):
        assert "Edit your comment" not in page and "Remove your comment" in page


def test_two_organisers_alike_but_for_following_see_their_own_button(app, world):
    comment_by(app, world, "ana", "I bring the lemonade")
    olu, ines = as_(app, "olu"), as_(app, "ines")
    assert olu.submit(
        f"/events/{world['event']}/comments/follow", {"following": "1"}
    ).status_code in (200, 303)
    for _round in range(2):
        for page in pages(olu, world):
            assert "Stop following by email" in page
        for page in pages(ines, world):
            assert "Follow by email" in page and "Stop following by email" not in page


def test_the_live_list_brings_forms_with_the_readers_own_token(app, world):
    comment_by(app, world, "ana", "First words")
    olu = as_(app, "olu")
    comments_page = olu.get(f"/events/{world['event']}/comments").text
    live = unescape(re.search(r'hx-get="([^"]+/live\?[^"]+)"', comments_page).group(1))
    comment_by(app, world, "bo", "Buy cheap watches")
    answer = olu.fragment(live)
    assert answer.status_code == 200 and "\x00" not in answer.text
    found = TOKEN_IN_FORM.findall(unescape(answer.text))
    assert len(found) == 2
    with app.app_context():
        watches = db.session.scalar(
            sa.select(Comment.id).where(Comment.body == "Buy cheap watches")
        )
    action, token = next(form for form in found if f"/comments/{watches}/" in form[0])
    assert olu.submit(action, {"csrf_token": token}, csrf=False).status_code == 303
    for page in pages(as_(app, "ana"), world):
        assert "Buy cheap watches" not in page


def test_a_site_admin_outside_the_group_keeps_order_but_writes_nothing(app, world):
    """The admin and the owner both keep order; only the owner takes part, so only their
    pages offer to reply, to report and to write."""
    with app.app_context():
        make_user(email="admin@example.org", first_name="Ada", last_name="Min", is_site_admin=True)
    comment_by(app, world, "ana", "I bring the lemonade")
    admin, olu = as_(app, "admin"), as_(app, "olu")
    for _round in range(2):
        for page in pages(olu, world):
            assert "Hide the comment by Ana Ruiz" in page and "Reply to Ana Ruiz" in page
            assert "Report the comment by Ana Ruiz" in page and "Post the comment" in page
        for page in pages(admin, world):
            assert "Hide the comment by Ana Ruiz" in page and "Reply to Ana Ruiz" not in page
            assert "Report the comment by" not in page and "Post the comment" not in page
