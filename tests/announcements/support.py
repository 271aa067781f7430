"""Writing announcements through HTTP, and reading what they sent."""

import sqlalchemy as sa

from tests.polls.support import logged_in
from webapp.announcements.models import Announcement
from webapp.extensions import db


def announcement_data(**overrides):
    return {"subject": "Picnic moved", "body": "We meet at **noon**.", "when": "now", **overrides}


def announce_to_group(app, party, who=None, **overrides):
    client = logged_in(app, who or party.organiser)
    response = client.submit(
        f"/groups/{party.slug}/announcements/new", announcement_data(**overrides)
    )
    return client, response


def announcements(app):
    with app.app_context():
        rows = db.session.scalars(sa.select(Announcement).order_by(Announcement.id)).all()
        db.session.expunge_all()
        return rows


def subjects_to(mailbox, email):
    return [m["Subject"] for m in mailbox.messages(email) if "Picnic" in m["Subject"]]
