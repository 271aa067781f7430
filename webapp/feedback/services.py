"""The feedback rules: only people who were going, only after the end and for 14 days
after it, once each (a unique constraint; a second insert at the same moment becomes a
friendly answer that shows the saved feedback to edit)."""

from datetime import timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError

from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.feedback.models import RATINGS, Feedback
from webapp.feedback.queries import feedback_of, was_there
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

EDIT_DAYS = 14


class Window(StrEnum):
    CANCELLED = "cancelled"
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


def closes_at(event):
    return event.ends_at + timedelta(days=EDIT_DAYS)


def window_of(event, now=None):
    """Where event stands for feedback: not at all (cancelled), not yet, open, or over."""
    now = now or utcnow()
    if event.is_cancelled or event.is_draft or not event.is_live:
        return Window.CANCELLED
    if now < event.ends_at:
        return Window.BEFORE
    if now >= closes_at(event):
        return Window.CLOSED
    return Window.OPEN


def refusal(window):
    """Why feedback is not taken in window (any but OPEN)."""
    if window == Window.CANCELLED:
        return _("This event did not take place, so it takes no feedback.")
    if window == Window.BEFORE:
        return _("Feedback opens when the event has ended.")
    return ngettext(
        "Feedback on this event closed %(num)d day after it ended.",
        "Feedback on this event closed %(num)d days after it ended.",
        EDIT_DAYS,
    )


def refuse_unless_open(actor, event):
    window = window_of(event)
    if window != Window.OPEN:
        raise RuleError(refusal(window))
    if not was_there(actor, event):
        raise RuleError(_("Feedback is for the people who were going to this event."))


def leave_feedback(actor, event, rating, comment):
    """Leave feedback on event, or change one's own; returns (feedback, created)."""
    refuse_unless_open(actor, event)
    if rating not in RATINGS:
        raise RuleError(_("Choose a rating from 1 to 5."), "rating")
    now = utcnow()
    mine = feedback_of(actor, event)
    if mine is not None:
        mine.rating, mine.comment, mine.updated_at = rating, comment, now
        db.session.flush()
        return mine, False
    mine = Feedback(
        event_id=event.id,
        user_id=actor.id,
        rating=rating,
        comment=comment,
        created_at=now,
        updated_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(mine)
    except IntegrityError:
        raise RuleError(
            _("Your feedback was saved a moment ago (from another tab?). Here it is, to edit.")
        ) from None
    return mine, True
