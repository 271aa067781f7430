"""Threads one follows, in the digest: Madrid chose her digest for them, so new comments
come there (once each, never by the hourly email), only of threads in groups she is still
in; New York kept email. Choosing the digest for threads takes a digest (422 beside the
choice when it is off), and the digest's one click stopping it sends threads back to
email."""

from datetime import timedelta

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.digest.conftest import EIGHT_AM
from tests.discussions.factories import make_comment
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from webapp.accounts.models import User
from webapp.digest.sending import write_digest
from webapp.digest.settings import turn_off
from webapp.discussions.mailing import sweep_followers
from webapp.discussions.models import Comment
from webapp.discussions.queries import talk_in_digest
from webapp.discussions.services import start_discussion
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group, Membership

NOW = EIGHT_AM["madrid"] + timedelta(minutes=5)
URL = "/settings/digest"


def choose_digest(app, who):
    client = logged_in(app, f"{who}@example.org")
    data = {"digest-frequency": "weekly", "digest-talk": "digest"}
    response = client.submit(URL, data)
    assert response.status_code == 303
    return client


def news(mailbox, email):
    return [m for m in mailbox.messages(email) if m["Subject"].startswith("New comments")]


def test_threads_come_in_the_digest_of_those_who_chose_it(app, world, mailbox):
    choose_digest(app, "madrid")
    with app.app_context():
        madrid = db.session.get(User, world.people["madrid"])
        new_york = db.session.get(User, world.people["new_york"])
        olu = db.session.get(User, world.organiser_id)
        walkers = db.session.get(Group, world.group_id)
        event = db.session.get(Event, world.event_id)
        make_comment(event, madrid, "Lanterns or torches?")
        make_comment(event, new_york, "Lanterns!")
        make_comment(event, olu, "Torches are banned.")
        # Madrid's thread in the Choir has an answer, then she leaves the Choir.
        conductor = make_user()
        choir = make_group(conductor, name="Choir")
        add_member(choir, madrid)
        robes = start_discussion(madrid, choir, "Robes", "Blue?")
        db.session.commit()
        make_comment(None, conductor, "Red.", reply_to_comment=robes_first(robes))
        db.session.execute(
            sa.delete(Membership).where(
                Membership.group_id == choir.id, Membership.user_id == madrid.id
            )
        )
        # A thread she never wrote in.
        start_discussion(olu, walkers, "Car shares", "Who drives?")
        db.session.commit()
    # No hourly email for Madrid; New York (email) hears at once.
    assert news(mailbox, "madrid@example.org") == []
    assert news(mailbox, "new_york@example.org")
    with app.app_context():
        assert write_digest(world.people["madrid"], "weekly:2026-11-30", NOW)
        db.session.commit()
    text = mailbox.text(mailbox.last("madrid@example.org"))
    assert "New comments in threads you follow" in text
    assert "Lantern walk (Walkers)" in text
    assert f"/events/{world.event_id}/comments#comments" in text
    assert "Robes" not in text and "Car shares" not in text  # left; never followed
    # Told once: no email after the hour, and the next digest has nothing of it.
    with app.app_context():
        assert sweep_followers(now=NOW + timedelta(hours=2)) == 0
        later = NOW + timedelta(days=7)
        assert not write_digest(world.people["madrid"], "weekly:2026-12-07", later)


def robes_first(discussion):
    return db.session.scalar(
        sa.select(Comment).where(Comment.discussion_id == discussion.id).order_by(Comment.id)
    )


def test_the_digest_for_threads_takes_a_digest(app, world):
    client = logged_in(app, "madrid@example.org")
    refused = client.submit(URL, {"digest-frequency": "off", "digest-talk": "digest"})
    assert refused.status_code == 422 and 'id="digest-talk-error"' in refused.text
    with app.app_context():
        assert not talk_in_digest(db.session.get(User, world.people["madrid"]))
    choose_digest(app, "madrid")
    with app.app_context():
        madrid = db.session.get(User, world.people["madrid"])
        assert talk_in_digest(madrid)
        turn_off(madrid)
        db.session.commit()
        assert not talk_in_digest(db.session.get(User, world.people["madrid"]))
