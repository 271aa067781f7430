"""Each person's private calendar feed: its address is the credential, a new address ends
the old one at once, and it lists exactly the events they are going to or waiting for."""

import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.mail.support import answer, cancel, delete, load, make_party
from tests.groups.factories import add_member, make_group
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.events.calendar.feeds import FEED_PAST, feed_token
from webapp.events.models import EventStatus
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.events.services import cancel_event
from webapp.extensions import db
from webapp.groups.models import Membership

FEED_URL = re.compile(r'id="calendar-feed-url"[^>]*value="http://localhost(/calendar/[^"]+)"')


@pytest.fixture
def party(app):
    return make_party(app)


def feed_path(client, auth, email):
    """Log in as email and read the feed address off the settings page."""
    assert auth.login(email).status_code == 303
    page = client.get("/settings").text
    auth.logout()
    return FEED_URL.search(page).group(1)


def titles(response):
    assert response.status_code == 200, response.status_code
    return sorted(str(event["SUMMARY"]) for event in Calendar.from_ical(response.data).events)


def test_the_feed_needs_no_login_and_lists_what_one_is_going_to(app, client, auth, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    path = feed_path(client, auth, party.ann_email)

    response = client.get(path)

    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'inline; filename="hearth.ics"'
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert titles(response) == ["Summer picnic"]
    assert "Set-Cookie" not in response.headers


def test_a_new_address_ends_the_old_one_at_once(app, client, auth, party):
    old = feed_path(client, auth, party.ann_email)
    assert client.get(old).status_code == 200

    auth.login(party.ann_email)
    response = client.submit("/settings/calendar-feed")
    assert response.status_code == 303
    assert response.location == "/settings#calendar"
    page = client.get("/settings").text
    assert "Your calendar feed has a new address." in page
    new = FEED_URL.search(page).group(1)

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_new_address_comes_in_place_for_htmx(app, client, auth, party):
    old = feed_path(client, auth, party.ann_email)
    auth.login(party.ann_email)

    response = client.submit("/settings/calendar-feed", htmx=True)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="calendar-form"')
    new = FEED_URL.search(response.text).group(1)
    assert new != old
    assert "<h1>" not in response.text


def test_each_person_sees_only_their_own_events(app, client, auth, party):
    with app.app_context():
        owner = make_user()
        group = make_group(owner, name="Readers")
        add_member(group, db.session.get(type(owner), party.ann_id))
        add_member(group, db.session.get(type(owner), party.bob_id))
        waiting = make_event(group, title="Book swap").id
        maybe = make_event(group, title="Reading night").id
        past = make_event(group, title="Last year", starts_in=-(FEED_PAST + timedelta(days=1)))
        recent = make_event(group, title="Last week", starts_in=timedelta(days=-7)).id
        past = past.id
        gone = make_event(group, title="Deleted").id
        called_off = make_event(group, title="Called off").id
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    answer(app, waiting, party.ann_id, Answer.WAITLISTED)
    answer(app, maybe, party.ann_id, Answer.MAYBE)
    answer(app, past, party.ann_id, Answer.GOING)
    answer(app, recent, party.ann_id, Answer.GOING)
    answer(app, gone, party.ann_id, Answer.GOING)
    answer(app, called_off, party.ann_id, Answer.GOING)
    answer(app, maybe, party.bob_id, Answer.GOING)
    delete(app, gone)
    cancel(app, called_off)

    ann = client.get(feed_path(client, auth, party.ann_email))
    bob = client.get(feed_path(client, auth, party.bob_email))

    assert titles(ann) == ["Book swap (waitlist)", "Called off", "Last week", "Summer picnic"]
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in Calendar.from_ical(ann.data).events}
    assert statuses["Book swap (waitlist)"] == "TENTATIVE"
    assert statuses["Called off"] == "CANCELLED"
    assert statuses["Summer picnic"] == "CONFIRMED"
    assert titles(bob) == ["Reading night"]


def test_leaving_a_private_group_takes_its_events_out_of_the_feed(app, client, auth):
    party = make_party(app, visibility="private")
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    path = feed_path(client, auth, party.ann_email)
    assert titles(client.get(path)) == ["Summer picnic"]

    with app.app_context():
        db.session.query(Membership).filter_by(user_id=party.ann_id).delete()
        db.session.commit()

    assert titles(client.get(path)) == []


def test_a_draft_never_shows(app, client, auth):
    party = make_party(app, status=EventStatus.DRAFT)
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    assert titles(client.get(feed_path(client, auth, party.ann_email))) == []


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "1-" + "A" * 43,
        "0-" + "A" * 43,
        "2147483648-" + "A" * 43,
        "99999999999999999999-" + "A" * 43,
        "-" + "A" * 43,
        "1-" + "A" * 42,
        "1-" + "\N{GREEK SMALL LETTER ALPHA}" * 43,
        "\N{ARABIC-INDIC DIGIT ONE}-" + "A" * 43,
    ],
)
def test_an_unknown_or_malformed_address_is_not_found(app, client, party, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_another_persons_token_with_my_id_is_not_found(app, client, party):
    with app.app_context():
        bobs = feed_token(party.bob_id, 0)
    forged = f"{party.ann_id}-{bobs.split('-', 1)[1]}"
    assert client.get(f"/calendar/{bobs}.ics").status_code == 200
    assert client.get(f"/calendar/{forged}.ics").status_code == 404


def test_a_deactivated_account_has_no_feed(app, client, auth, party):
    path = feed_path(client, auth, party.ann_email)
    with app.app_context():
        from webapp.accounts.models import User

        db.session.get(User, party.ann_id).active = False
        db.session.commit()
    assert client.get(path).status_code == 404


def test_an_unchanged_feed_answers_304(app, client, auth, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    path = feed_path(client, auth, party.ann_email)
    first = client.get(path)
    assert first.headers["Cache-Control"] == "private, max-age=900"

    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert again.data == b""
    answer(app, party.event_id, party.ann_id, Answer.NOT_GOING)
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def stamped_a_day_ago(app, event_id):
    """The event's last change a day back, so that a change now shows in its stamp."""
    with app.app_context():
        load(event_id).updated_at = utcnow() - timedelta(days=1)
        db.session.commit()


def test_other_peoples_answers_leave_the_feed_as_it_was(app, client, auth, party):
    """An answer moves the event's counters, not what the event says: a calendar app keeps
    its copy (304) however many people answer."""
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    stamped_a_day_ago(app, party.event_id)
    path = feed_path(client, auth, party.ann_email)
    first = client.get(path)
    with app.app_context():
        answer_event(db.session.get(User, party.bob_id), load(party.event_id), "going")
        db.session.commit()

    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_an_organisers_change_moves_the_stamp(app, client, auth, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    stamped_a_day_ago(app, party.event_id)
    path = feed_path(client, auth, party.ann_email)
    first = client.get(path)
    with app.app_context():
        cancel_event(db.session.get(User, party.owner_id), load(party.event_id))
        db.session.commit()

    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    (entry,) = Calendar.from_ical(again.data).events
    assert entry["LAST-MODIFIED"].dt > utcnow() - timedelta(minutes=1)


def test_the_token_never_reaches_the_log(app, client, auth, party, caplog):
    path = feed_path(client, auth, party.ann_email)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    client.get(path)
    assert token not in caplog.text
