"""Comments under an event through HTTP: members write, reply one level deep, edit within
the window and remove their own; organisers and co-hosts hide, pin and close; who is not
part of the group reads nothing of it; mentions and following email the right people,
paced. Comments are written in an order that differs from their ids' where it matters
(a pinned comment older than the rest, replies to the older comment), so nothing passes
by order."""

from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.discussions.factories import make_comment
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import field_error
from webapp.accounts.models import User
from webapp.audit.models import AuditAction, AuditEntry
from webapp.discussions.mailing import sweep_followers
from webapp.discussions.models import Comment, Discussion
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Membership


@pytest.fixture
def world(app):
    """The Walkers (Olu owns them, Ines organises, Cai co-hosts the picnic), members Ana
    Ruiz and Bo Lee, Pat asking to join, Zed outside; their Picnic, public."""
    with app.app_context():
        people = {
            name: make_user(email=f"{name}@example.org", first_name=first, last_name=last)
            for name, first, last in (
                ("olu", "Olu", "Ade"),
                ("zed", "Zed", "Moss"),
                ("bo", "Bo", "Lee"),
                ("ana", "Ana", "Ruiz"),
                ("ines", "Ines", "Roy"),
                ("cai", "Cai", "Oak"),
                ("pat", "Pat", "Ng"),
            )
        }
        walkers = make_group(people["olu"], name="Walkers")
        add_member(walkers, people["ines"], role="organiser")
        for name in ("ana", "bo", "cai"):
            add_member(walkers, people[name])
        add_member(walkers, people["pat"], status="pending")
        make_event(walkers, title="Earlier walk")
        picnic = make_event(walkers, title="Picnic")
        make_cohost(picnic, people["cai"], added_by=people["olu"])
        return {"event": picnic.id, **{name: person.id for name, person in people.items()}}


def as_(app, name):
    return logged_in(app, f"{name}@example.org")


def post(client, world, body, htmx=False):
    return client.submit(f"/events/{world['event']}/comments", {"comment-body": body}, htmx=htmx)


def comments(app, world):
    with app.app_context():
        return db.session.scalars(
            sa.select(Comment)
            .join(Discussion)
            .where(Discussion.event_id == world["event"])
            .order_by(Comment.id)
        ).all()


def event_page(client, world):
    response = client.get(f"/events/{world['event']}-picnic")
    assert response.status_code == 200
    return unescape(response.text)


def test_a_member_comments_without_javascript_and_everyone_in_the_group_reads_it(app, world):
    ana = as_(app, "ana")
    response = post(ana, world, "Is there **parking** nearby?")
    (comment,) = comments(app, world)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/events/{world['event']}/comments#comment-{comment.id}"
    )
    for name in ("ana", "bo", "ines", "olu", "cai"):
        page = event_page(as_(app, name), world)
        assert "<strong>parking</strong>" in page and "Ana Ruiz" in page, name
        assert "1 comment" in page
    # Not part of the group: the word that members talk here, never what they say.
    for client in (app.test_client(), as_(app, "zed"), as_(app, "pat")):
        page = event_page(client, world)
        assert "parking" not in page and "Ana Ruiz" not in page
        assert "Members of Walkers talk about this event here." in page
        listing = client.get(f"/events/{world['event']}/comments")
        assert listing.status_code == 200 and "parking" not in listing.text


def test_with_htmx_the_section_comes_back_with_the_comment_and_an_empty_form(app, world):
    response = post(as_(app, "bo"), world, "I can bring a blanket", htmx=True)
    assert response.status_code == 200
    page = unescape(response.text)
    assert page.count(f'id="comments-{world["event"]}"') == 1
    assert "I can bring a blanket" in page
    assert 'id="comment-body"' in page and "I can bring a blanket</textarea>" not in page


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Write something first."), ("   ", "Write something first."), ("x" * 5001, "5000")],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_an_empty_or_huge_comment_is_refused_beside_its_field(app, world, body, message, htmx):
    response = post(as_(app, "ana"), world, body, htmx=htmx)
    assert response.status_code == 422
    assert message in field_error(response, "comment-body")
    assert comments(app, world) == []


def test_markup_never_runs_and_links_are_kept_safe(app, world):
    post(
        as_(app, "ana"),
        world,
        '<script>alert(1)</script> [map](javascript:alert(2)) <b onclick="x">hi</b>',
    )
    (comment,) = comments(app, world)
    assert "<script" not in comment.body_html and "javascript:" not in comment.body_html
    assert "onclick" not in comment.body_html
    page = event_page(as_(app, "bo"), world)
    assert "<script>alert(1)" not in page


def test_replies_are_one_level_deep_and_shown_under_their_comment(app, world):
    with app.app_context():
        picnic = db.session.get(Event, world["event"])
        first = make_comment(picnic, db.session.get(User, world["ana"]), "Who drives?").id
    bo = as_(app, "bo")
    assert bo.get(f"/comments/{first}/reply").status_code == 200
    response = bo.submit(f"/comments/{first}/reply", {"reply-body": "I do"})
    assert response.status_code == 303
    reply = comments(app, world)[-1]
    assert reply.parent_id == first
    # A reply to the reply answers the thread's first comment.
    response = as_(app, "ana").submit(f"/comments/{reply.id}/reply", {"reply-body": "Thanks!"})
    assert response.status_code == 403
    empty = bo.submit(f"/comments/{first}/reply", {"reply-body": ""})
    assert empty.status_code == 422 and field_error(empty, "reply-body")
    page = event_page(bo, world)
    assert page.index("Who drives?") < page.index("I do")
    assert "2 comments" in page


def test_the_author_edits_within_the_window_and_it_shows_as_edited(app, world):
    ana = as_(app, "ana")
    post(ana, world, "Meet at 10")
    (comment,) = comments(app, world)
    form = ana.get(f"/comments/{comment.id}/edit")
    assert form.status_code == 200 and "Meet at 10" in form.text
    assert as_(app, "bo").get(f"/comments/{comment.id}/edit").status_code == 403
    response = ana.submit(f"/comments/{comment.id}/edit", {"edit-body": "Meet at 11"})
    assert response.status_code == 303
    page = event_page(as_(app, "bo"), world)
    assert "Meet at 11" in page and "Meet at 10" not in page and "edited" in page
    with app.app_context():
        written = db.session.get(Comment, comment.id)
        written.created_at -= timedelta(minutes=31)
        db.session.commit()
    assert ana.submit(f"/comments/{comment.id}/edit", {"edit-body": "Noon"}).status_code == 403


def test_removing_keeps_the_place_and_the_replies(app, world):
    ana = as_(app, "ana")
    post(ana, world, "Bring water")
    (comment,) = comments(app, world)
    as_(app, "bo").submit(f"/comments/{comment.id}/reply", {"reply-body": "Good idea"})
    assert as_(app, "bo").submit(f"/comments/{comment.id}/remove").status_code == 403
    assert ana.submit(f"/comments/{comment.id}/remove").status_code == 303
    page = event_page(as_(app, "bo"), world)
    assert "Bring water" not in page
    assert "This comment was removed by its author." in page and "Good idea" in page
    assert "1 comment" in page


@pytest.mark.parametrize("moderator", ["ines", "cai", "olu"])
def test_organisers_and_the_cohost_hide_a_comment_and_the_log_says_so(app, world, moderator):
    post(as_(app, "bo"), world, "Buy cheap watches")
    (comment,) = comments(app, world)
    assert as_(app, "ana").submit(f"/comments/{comment.id}/manage/hide").status_code == 403
    response = as_(app, moderator).submit(f"/comments/{comment.id}/manage/hide", htmx=True)
    assert response.status_code == 200 and "Hidden by an organiser" in response.text
    for name in ("ana", "bo"):
        assert "Buy cheap watches" not in event_page(as_(app, name), world)
    assert "Buy cheap watches" in event_page(as_(app, "ines"), world)
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == AuditAction.COMMENT_HIDDEN)
        )
        assert entry.actor_id == world[moderator] and entry.subject_id == comment.id
        assert entry.data["name"] == "Bo Lee"
    as_(app, moderator).submit(f"/comments/{comment.id}/manage/show")
    assert "Buy cheap watches" in event_page(as_(app, "ana"), world)


def test_a_pinned_comment_shows_first_though_older(app, world):
    for body in ("First question", "Second question", "Third question"):
        post(as_(app, "ana"), world, body)
    first = comments(app, world)[0]
    page = event_page(as_(app, "bo"), world)
    assert (
        page.index("Third question") < page.index("Second question") < page.index("First question")
    )
    assert as_(app, "ines").submit(f"/comments/{first.id}/manage/pin").status_code == 303
    page = event_page(as_(app, "bo"), world)
    assert (
        page.index("First question") < page.index("Third question") < page.index("Second question")
    )


def test_closed_comments_refuse_members_and_take_the_organisers(app, world):
    ines = as_(app, "ines")
    assert (
        ines.submit(f"/events/{world['event']}/comments/lock", {"locked": "1"}).status_code == 303
    )
    response = post(as_(app, "ana"), world, "Hello?")
    assert response.status_code == 422
    assert "closed" in field_error(response, "comment-body")
    assert "Comments are closed" in event_page(as_(app, "ana"), world)
    assert post(ines, world, "See you all there").status_code == 303
    assert post(as_(app, "cai"), world, "Co-host here").status_code == 303
    assert (
        as_(app, "ana")
        .submit(f"/events/{world['event']}/comments/lock", {"locked": "0"})
        .status_code
        == 403
    )
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(AuditEntry.action == AuditAction.DISCUSSION_LOCKED)
            )
            == 1
        )


def test_a_removed_member_keeps_their_comments_and_can_no_longer_write_or_read(app, world):
    post(as_(app, "bo"), world, "Bo was here")
    with app.app_context():
        db.session.execute(sa.delete(Membership).where(Membership.user_id == world["bo"]))
        db.session.commit()
    assert "Bo was here" in event_page(as_(app, "ana"), world)
    assert "Bo Lee" in event_page(as_(app, "ana"), world)
    bo = as_(app, "bo")
    assert "Bo was here" not in event_page(bo, world)
    assert post(bo, world, "Still here?").status_code == 403
    (comment,) = comments(app, world)
    assert bo.submit(f"/comments/{comment.id}/remove").status_code == 404


def test_a_deleted_account_leaves_its_comments_to_a_former_member(app, world):
    post(as_(app, "bo"), world, "Bo was here")
    with app.app_context():
        db.session.delete(db.session.get(User, world["bo"]))
        db.session.commit()
    page = event_page(as_(app, "ana"), world)
    assert "Bo was here" in page and "A former member" in page and "Bo Lee" not in page


def test_the_live_list_answers_204_until_someone_comments(app, world):
    ana = as_(app, "ana")
    section = event_page(ana, world)
    live = section.split('hx-get="', 2)
    live_url = next(
        part.split('"', 1)[0] for part in section.split('hx-get="')[1:] if "/comments/live" in part
    )
    # The first poll publishes the version the page shows; from then on, nothing new: 204.
    ana.get(live_url, headers={"HX-Request": "true"})
    assert ana.get(live_url, headers={"HX-Request": "true"}).status_code == 204
    post(as_(app, "bo"), world, "Anyone bringing a ball?")
    fresh = ana.get(live_url, headers={"HX-Request": "true"})
    assert fresh.status_code == 200 and "Anyone bringing a ball?" in fresh.text
    assert live  # the page polls


def test_a_mention_emails_the_member_named_and_makes_them_follow(app, world, mailbox):
    post(as_(app, "bo"), world, "@ana-ruiz can you bring the map? @nobody-here too")
    (comment,) = comments(app, world)
    assert '<strong class="mention">@Ana Ruiz</strong>' in comment.body_html
    assert "@nobody-here" in comment.body_html
    (message,) = [m for m in mailbox.messages("ana@example.org") if "mentioned you" in m["Subject"]]
    assert message["Subject"] == "Bo Lee mentioned you: Picnic"
    assert message["List-Unsubscribe"]
    assert mailbox.messages("zed@example.org") == []


def test_followers_get_one_email_an_hour_telling_what_came_since(app, world, mailbox):
    def news(email):
        return [m for m in mailbox.messages(email) if m["Subject"].startswith("New comments")]

    post(as_(app, "ana"), world, "First!")
    post(as_(app, "bo"), world, "Second")
    (first,) = news("ana@example.org")
    assert first["Subject"] == "New comments: Picnic" and first["List-Unsubscribe"]
    assert "Second" in mailbox.text(first) and "First!" not in mailbox.text(first)
    # Bo follows from his own comment on: nothing he has not read.
    assert news("bo@example.org") == []
    post(as_(app, "bo"), world, "Third")
    post(as_(app, "ines"), world, "Fourth")
    assert len(news("ana@example.org")) == 1  # the hour holds them back
    # Bo was never emailed about it: Ines's comment reaches him at once.
    (to_bo,) = news("bo@example.org")
    assert "Fourth" in mailbox.text(to_bo) and "Third" not in mailbox.text(to_bo)
    with app.app_context():
        from webapp.database.times import utcnow

        assert sweep_followers(now=utcnow() + timedelta(minutes=61)) == 1
    later = news("ana@example.org")[-1]
    assert "Third" in mailbox.text(later) and "Fourth" in mailbox.text(later)
    assert "Second" not in mailbox.text(later)
    # Stopping on the page is kept: nothing more, even after hours.
    as_(app, "ana").submit(f"/events/{world['event']}/comments/follow", {"following": "0"})
    post(as_(app, "bo"), world, "Fifth")
    with app.app_context():
        from webapp.database.times import utcnow

        # Ines's, before the queued job (which then finds it told); never Ana's.
        assert sweep_followers(now=utcnow() + timedelta(hours=3)) == 1
    assert len(news("ana@example.org")) == 2
    assert "Fifth" in mailbox.text(news("ines@example.org")[-1])


def test_the_event_page_shows_the_latest_few_and_links_to_all(app, world):
    ana = as_(app, "ana")
    for number in range(1, 8):
        # More than a member may post a minute: the limiter starts afresh for each.
        app.extensions["hearth_limiter"].reset()
        assert post(ana, world, f"Question number {number}").status_code == 303
    page = event_page(as_(app, "bo"), world)
    shown = [n for n in range(1, 8) if f"Question number {n}<" in page]
    assert shown == [3, 4, 5, 6, 7]
    assert "See all 7 comments" in page
    # Its answers keep to the few: a post from the event's page, with htmx.
    app.extensions["hearth_limiter"].reset()
    answer = ana.submit(
        f"/events/{world['event']}/comments?per_page=5", {"comment-body": "Eighth"}, htmx=True
    )
    assert answer.status_code == 200 and "Question number 3<" not in answer.text
    everything = unescape(ana.get(f"/events/{world['event']}/comments").text)
    assert all(f"Question number {n}<" in everything for n in range(1, 8))


def test_a_member_posts_at_most_six_comments_a_minute(app, world):
    ana = as_(app, "ana")
    app.extensions["hearth_limiter"].reset()
    answers = [post(ana, world, f"Flood {number}").status_code for number in range(7)]
    assert answers == [303] * 6 + [429]
    assert len(comments(app, world)) == 6


def test_the_authors_data_download_holds_hidden_and_removed_comments_as_they_are(app, world):
    from tests.your_data.support import zip_json
    from webapp.your_data.export_zip import build_zip

    bo = as_(app, "bo")
    for body in ("Kept", "Taken back", "Buy watches"):
        post(bo, world, body)
    kept, taken_back, spam = comments(app, world)
    bo.submit(f"/comments/{taken_back.id}/remove")
    as_(app, "ines").submit(f"/comments/{spam.id}/manage/hide")
    with app.app_context():
        data = build_zip(db.session.get(User, world["bo"]))
    rows = {row["id"]: row for row in zip_json(data, "comments.json")}
    assert rows[kept.id]["body"] == "Kept" and rows[kept.id]["removed_at"] is None
    assert rows[taken_back.id]["body"] == "" and rows[taken_back.id]["removed_at"]
    assert rows[spam.id]["body"] == "Buy watches" and rows[spam.id]["hidden_by_an_organiser_at"]
    assert {row["thread"] for row in rows.values()} == {"Picnic"}
