"""Comments for tests, written through the rules (so counts, versions and follows are
as the app keeps them)."""

from webapp.discussions.moderation import hide_comment
from webapp.discussions.services import comment_on_event, reply_to
from webapp.extensions import db


def make_comment(event, author, body="Is there parking nearby?", reply_to_comment=None):
    """A committed comment under event (or a reply); call in an app context."""
    if reply_to_comment is not None:
        comment = reply_to(author, reply_to_comment, body)
    else:
        comment = comment_on_event(author, event, body)
    db.session.commit()
    return comment


def make_hidden_comment(event, author, organiser, body="Buy cheap watches"):
    comment = make_comment(event, author, body)
    hide_comment(organiser, comment)
    db.session.commit()
    return comment
