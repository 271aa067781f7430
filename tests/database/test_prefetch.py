"""What a query reads along with its object (the viewer's membership, answer, a poll's
options) is kept for the request, and forgotten once what it was read from is written."""

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.database.prefetch import prefetched
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db


def remembered():
    return {
        kind for kind in ("memberships", "answers", "poll options", "unnamed") if prefetched(kind)
    }


def remember_all():
    for kind in ("memberships", "answers", "poll options", "unnamed"):
        prefetched(kind)["key"] = "value"


def test_a_write_forgets_only_what_was_read_from_what_it_wrote(app):
    with app.app_context():
        owner, member = make_user(), make_user()
        group = make_group(owner)
        event = make_event(group)
        db.session.commit()

        remember_all()
        db.session.add(Rsvp(event_id=event.id, user_id=owner.id, answer=Answer.MAYBE))
        db.session.flush()
        # An answer written: the memberships still hold; a kind that names nothing it was
        # read from is forgotten at every write.
        assert remembered() == {"memberships", "poll options"}

        remember_all()
        add_member(group, member)  # flushes a membership
        assert "memberships" not in remembered()

        remember_all()
        db.session.rollback()
        assert remembered() == set()
