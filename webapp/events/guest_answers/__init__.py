"""Answers from people without an account (guests), on the public events of groups that
allow them: a visitor gives a name and an address, follows the single-use link mailed to
it (until then the answer holds no place; the link lasts a day), and then holds a place or
a waitlist ticket in the same line as members, with the same email. A lasting link in
that email is their page for the answer (change it, withdraw it, their door pass, the
organisers' questions). Signing up with the address makes the guest's row, and so every
answer of theirs, the new member's own (webapp.auth.services). Endpoints
events.guest_answers.*."""

from flask import Blueprint

bp = Blueprint("guest_answers", __name__, url_prefix="/events/<int:event_id>/as-guest")


def attach_views():
    """Import the module whose routes attach to bp (see webapp.events.attach_views)."""
    from webapp.events.guest_answers import views  # noqa: F401
