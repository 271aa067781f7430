"""Who a guest's lasting link lets in: the guest it names at its event, for their answer's
pages here and for any feature that serves guests from the same link (their feedback)."""

from flask import abort, flash, redirect, url_for

from webapp.accounts.models import User
from webapp.events.access import event_url
from webapp.events.guest_answers.links import person_of_answer_link
from webapp.extensions import db
from webapp.web.translating import gettext as _


def guest_of(event, token):
    """The guest a lasting link names at event; 404 for another event's link or a forged
    one, and a redirect to log in once the address has an account."""
    guest_id = person_of_answer_link(token, event.id)
    guest = db.session.get(User, guest_id) if guest_id else None
    if guest is None:
        abort(404)
    if not guest.is_guest:
        flash(_("This address has an account now: log in to see your answer."), "info")
        abort(redirect(url_for("auth.login", next=event_url(event)), 303))
    return guest
