"""A guest's lasting link to their answer: it names the person and the event (no row,
no expiry), and is what they have instead of a login."""

from webapp.events.person_links import PersonLinks
from webapp.web import public_url

_ANSWERS = PersonLinks("hearth.guest-answer")


def answer_token(event_id, user_id):
    return _ANSWERS.token(event_id, user_id)


def person_of_answer_link(token, event_id):
    """The id of the guest a token names at event_id, or None."""
    return _ANSWERS.person_of(token, event_id)


def answer_url(event_id, user_id):
    """The absolute address of a guest's page for their answer (emails carry it)."""
    return public_url.absolute_url(
        "events.guest_answers.manage", event_id=event_id, token=answer_token(event_id, user_id)
    )
