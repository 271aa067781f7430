"""A guest's feedback through HTTP, from the link to their answer: a guest checked in at
the door finds "How was it?" on their answer's page once the event has ended and leaves a
rating and a comment, which the organisers read with the others; a guest who was going
but not checked in (the door was used) is offered no form and refused; the link of
another event, or a forged one, opens nothing; before the end nothing is taken.

The event is not the group's first, and the guest checked in was made after the one who
was not, so nothing passes by order or identity."""

import pytest

from tests.accounts.factories import make_guest, make_user
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import html
from tests.tasks.factories import ended_event, feedback_rows, going
from webapp.events.checkin.models import CheckIn
from webapp.events.guest_answers.links import answer_token
from webapp.extensions import db


@pytest.fixture
def picnic(app):
    """The Picnickers' picnic ended yesterday; Ida (a guest) was going, Gus (a guest) was
    going and checked in, and so was Amy, a member. Links by name."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu")
        group = make_group(olu, name="Picnickers", allows_guests=True)
        other = ended_event(group, title="Picnic")
        event = ended_event(group, title="Picnic")
        amy = make_user(email="amy@example.org", first_name="Amy")
        add_member(group, amy)
        ida = make_guest("ida@example.org", first_name="Ida", verified=True)
        gus = make_guest("gus@example.org", first_name="Gus", verified=True)
        for person in (ida, gus, amy):
            going(event, person)
        going(other, gus)
        db.session.add_all(CheckIn(event_id=event.id, user_id=p.id) for p in (gus, amy))
        db.session.commit()
        return {
            "event": event.id,
            "gus": f"/events/{event.id}/as-guest/{answer_token(event.id, gus.id)}",
            "ida": f"/events/{event.id}/as-guest/{answer_token(event.id, ida.id)}",
            "gus elsewhere": f"/events/{event.id}/as-guest/{answer_token(other.id, gus.id)}",
            "gus_id": gus.id,
        }


def test_a_guest_checked_in_leaves_feedback_from_their_answers_page(app, client, picnic):
    page = html(client.get(picnic["gus"]))
    assert f'href="{picnic["gus"]}/feedback"' in page and "How was it? Tell the organisers" in page
    form = html(client.get(f"{picnic['gus']}/feedback"))
    assert "How was it?" in form and f'action="{picnic["gus"]}/feedback"' in form
    saved = client.submit(f"{picnic['gus']}/feedback", {"rating": "4", "comment": "Lovely"})
    assert saved.status_code == 303 and saved.location == f"{picnic['gus']}/feedback"
    again = html(client.get(saved.location))
    assert "Thanks for your feedback!" in again and "Your feedback" in again
    # Only their own: nothing of the others' ratings.
    assert "How people rated it" not in again
    with app.app_context():
        rows = feedback_rows(picnic["event"])
        assert [(row.user_id, row.rating, row.comment) for row in rows] == [
            (picnic["gus_id"], 4, "Lovely")
        ]
    organiser = html(logged_in(app, "olu@example.org").get(f"/events/{picnic['event']}/feedback"))
    assert "<strong>Gus</strong>" in organiser and "Lovely" in organiser


def test_a_guest_not_checked_in_is_offered_nothing_and_refused(app, client, picnic):
    page = html(client.get(f"{picnic['ida']}/feedback"))
    assert "Feedback is for the people who were going to this event." in page
    assert 'name="rating"' not in page
    refused = client.submit(f"{picnic['ida']}/feedback", {"rating": "5"})
    assert refused.status_code == 422
    with app.app_context():
        assert feedback_rows(picnic["event"]) == []


def test_another_events_link_or_a_forged_one_opens_nothing(client, picnic):
    assert client.get(f"{picnic['gus elsewhere']}/feedback").status_code == 404
    forged = picnic["gus"][:-3] + ("abc" if not picnic["gus"].endswith("abc") else "xyz")
    assert client.get(f"{forged}/feedback").status_code == 404
    assert client.submit(f"{forged}/feedback", {"rating": "5"}).status_code == 404
