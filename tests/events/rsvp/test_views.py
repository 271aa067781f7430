"""Answering through HTTP: the panel as a page and as a fragment, plain forms without
JavaScript, refusals with their messages, and what each kind of visitor is offered."""

import re
from datetime import timedelta

import pytest

from tests.accounts.factories import make_user
from tests.events.rsvp.support import (
    answers,
    event_with_members,
    held_under_the_lock,
    statements_run,
    waitlist,
)
from tests.groups.factories import add_member
from tests.support.auth import html, login_data
from webapp.database.times import utcnow
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db
from webapp.web.languages import LANGUAGE_COOKIE


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


@pytest.fixture
def full_house(app):
    """Capacity 1, guests up to 2; three members (and the owner)."""
    with app.app_context():
        return event_with_members(3, capacity=1, guests_allowed=2, title="Lantern walk")


def answer_url(setup):
    return f"/events/{setup.event_id}/rsvp"


def panel_of(response, event_id):
    """The panel's markup in a page or fragment."""
    found = re.search(rf'<section id="rsvp-panel-{event_id}".*?</section>', html(response), re.S)
    assert found, "no RSVP panel"
    return found.group(0)


def text_of(markup):
    return " ".join(re.sub(r"<[^>]+>", "", markup).split())


def test_without_javascript_an_answer_posts_and_comes_back_to_the_event(app, full_house):
    member = logged_in(app, full_house.emails[0])
    response = member.submit(answer_url(full_house), {"answer": "going", "guests": "0"})
    assert response.status_code == 303
    assert response.location == f"/events/{full_house.event_id}-lantern-walk"
    page = member.get(response.location)
    assert "You are going." in html(page)
    panel = text_of(panel_of(page, full_house.event_id))
    assert "Your answer: Going." in panel
    assert "1 going · Full (1 place)" in panel


def test_with_htmx_the_panel_swaps_in_place_with_the_flash_alongside(app, full_house):
    member = logged_in(app, full_house.emails[0])
    response = member.submit(answer_url(full_house), {"answer": "maybe"}, htmx=True)
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith(f'<section id="rsvp-panel-{full_house.event_id}"')
    assert 'id="flashes" aria-live="polite" hx-swap-oob="true"' in body
    assert "Your answer is saved: maybe." in body
    assert "<html" not in body
    assert 'aria-pressed="true"' in re.search(r'<button[^>]*value="maybe"[^>]*>', body).group(0)


def test_going_to_a_full_event_says_the_place_in_line(app, full_house):
    for index in range(3):
        response = logged_in(app, full_house.emails[index]).submit(
            answer_url(full_house), {"answer": "going"}, htmx=True
        )
    panel = text_of(panel_of(response, full_house.event_id))
    assert "Your answer: On the waitlist." in panel
    assert "You are 2nd on the waitlist." in panel
    assert "2 on the waitlist" in panel
    with app.app_context():
        assert len(waitlist(full_house.event_id)) == 2


@pytest.mark.parametrize(
    ("guests", "message"),
    [
        ("3", "You can bring up to 2 guests."),
        ("-1", "Guests cannot be fewer than none."),
        ("lots", "Enter a whole number."),
        ("9" * 400, "That number is far too big."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_guests_come_back_422_beside_the_field(app, full_house, guests, message, htmx):
    member = logged_in(app, full_house.emails[0])
    response = member.submit(
        answer_url(full_house), {"answer": "going", "guests": guests}, htmx=htmx
    )
    assert response.status_code == 422
    field = f"rsvp-guests-{full_house.event_id}"
    error = re.search(
        rf'<small id="{field}-error" class="field-error">(.*?)</small>', html(response)
    )
    assert error and message in error.group(1)
    assert re.search(rf'<select id="{field}"[^>]*aria-invalid="true"', html(response))
    assert ("<html" in html(response)) is not htmx
    with app.app_context():
        assert answers(full_house.event_id) == {}


@pytest.mark.parametrize("answer", ["waitlisted", "yes", ""])
def test_an_answer_that_is_not_a_choice_is_refused(app, full_house, answer):
    member = logged_in(app, full_house.emails[0])
    response = member.submit(answer_url(full_house), {"answer": answer}, htmx=True)
    assert response.status_code == 422
    assert 'class="form-error" role="alert"' in html(response)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": EventStatus.CANCELLED}, "This event is cancelled."),
        ({"rsvp_deadline": utcnow() - timedelta(hours=1)}, "Answers to this event are closed."),
    ],
)
def test_answers_after_closing_are_refused_with_the_reason(app, full_house, change, message):
    with app.app_context():
        db.session.query(Event).filter_by(id=full_house.event_id).update(change)
        db.session.commit()
    member = logged_in(app, full_house.emails[0])
    response = member.submit(answer_url(full_house), {"answer": "going"})
    assert response.status_code == 422
    assert message in html(response)
    assert "<html" in html(response)
    page = member.get(f"/events/{full_house.event_id}")
    assert page.status_code == 301


def test_a_closed_panel_says_so_and_offers_no_buttons(app, full_house):
    with app.app_context():
        db.session.query(Event).filter_by(id=full_house.event_id).update(
            {"rsvp_deadline": utcnow() - timedelta(hours=1)}
        )
        db.session.commit()
    member = logged_in(app, full_house.emails[0])
    panel = panel_of(member.get(f"/events/{full_house.event_id}/rsvp"), full_house.event_id)
    assert "Answers closed on" in panel
    assert "<button" not in panel


def test_outsiders_are_refused_and_visitors_sent_to_log_in(app, client, full_house):
    response = client.submit(answer_url(full_house), {"answer": "going"})
    assert response.status_code == 303
    assert response.location.startswith("/login?next=")
    with app.app_context():
        outsider = make_user().email
    response = logged_in(app, outsider).submit(answer_url(full_house), {"answer": "going"})
    assert response.status_code == 403


def test_what_each_visitor_is_offered(app, client, full_house):
    path = f"/events/{full_house.event_id}/rsvp"
    visitor = text_of(panel_of(client.get(path), full_house.event_id))
    assert "Log in to answer." in visitor
    with app.app_context():
        outsider = make_user().email
    stranger = text_of(panel_of(logged_in(app, outsider).get(path), full_house.event_id))
    assert "to answer." in stranger and "Join Group" in stranger
    member = panel_of(logged_in(app, full_house.emails[0]).get(path), full_house.event_id)
    assert ">Going</button>" in member
    assert "See who is coming" in member and "CSV" not in member
    owner = panel_of(logged_in(app, full_house.owner_email).get(path), full_house.event_id)
    assert "Download the list (CSV)" in owner


def test_the_panel_as_a_page_and_as_a_fragment(app, client, full_house):
    path = f"/events/{full_house.event_id}/rsvp"
    page = client.get(path)
    assert page.status_code == 200
    assert "<h1>Lantern walk</h1>" in html(page)
    fragment = client.fragment(path)
    assert fragment.status_code == 200
    assert html(fragment).lstrip().startswith(f'<section id="rsvp-panel-{full_house.event_id}"')
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_event_page_carries_the_panel_that_polls(app, client, full_house):
    page = client.get(f"/events/{full_house.event_id}-lantern-walk")
    panel = panel_of(page, full_house.event_id)
    assert 'hx-trigger="every 3s"' in panel
    assert re.search(rf'hx-get="/events/{full_house.event_id}/rsvp/live\?v=\d+"', panel)


def test_a_member_with_guests_sees_them_chosen(app):
    with app.app_context():
        setup = event_with_members(1, capacity=10, guests_allowed=2)
    member = logged_in(app, setup.emails[0])
    response = member.submit(answer_url(setup), {"answer": "going", "guests": "2"}, htmx=True)
    panel = text_of(panel_of(response, setup.event_id))
    assert "Your answer: Going, with 2 guests." in panel
    assert "1 going (and 2 guests) · 7 places left of 10" in panel
    assert '<option value="2" selected>' in html(response)
    with app.app_context():
        assert answers(setup.event_id)[setup.user_ids[0]] == (Answer.GOING, 2, None)


def db_dialect(app):
    with app.app_context():
        return db.engine.dialect.name


def test_an_answer_holds_the_events_lock_for_its_change_alone(app, full_house):
    """Fifty answers at once queue for the lock one after the other: what runs under it is
    the answer read again, then the answer, the counters and the confirmation's outbox row
    written (whether its recipient takes it came with the event). The panel renders after
    the commit, from what the answer knew: the answer, its place in line (the last) and
    the membership."""
    logged_in(app, full_house.emails[0]).submit(answer_url(full_house), {"answer": "going"})
    member = logged_in(app, full_house.emails[1])
    headers = {"X-CSRFToken": member.csrf_token(), "HX-Request": "true"}
    with statements_run(app, commits=True) as statements:
        response = member.post(answer_url(full_house), data={"answer": "going"}, headers=headers)
    assert response.status_code == 200
    assert "You are 1st on the waitlist" in text_of(panel_of(response, full_house.event_id))

    held, after_the_lock = held_under_the_lock(statements)
    assert len(held) <= 4, held
    assert not any("FROM users" in statement for statement in held)
    if db_dialect(app) == "postgresql":
        # The read that finds the event locks it: the answer reads it no second time.
        reads_of_the_event = [s for s in statements if "FROM events" in s]
        assert len(reads_of_the_event) == 1, reads_of_the_event
        assert "FOR UPDATE OF events" in reads_of_the_event[0]
    assert not any("FROM groups" in statement for statement in held)
    read_after_the_commit = [s for s in after_the_lock[len(held) + 1 :] if s != "COMMIT"]
    assert not read_after_the_commit
    with app.app_context():
        assert waitlist(full_house.event_id) == [full_house.user_ids[1]]


def test_the_page_and_the_panel_cost_the_same_for_two_answers_as_for_sixty(app):
    with app.app_context():
        setup = event_with_members(2, capacity=20, title="Big night")
    member = logged_in(app, setup.emails[0])
    urls = [(f"/events/{setup.event_id}-big-night", {}), (answer_url(setup), {"HX-Request": "1"})]

    def counts():
        result = []
        for url, headers in urls:
            with statements_run(app) as statements:
                assert member.get(url, headers=headers).status_code == 200
            result.append(len(statements))
        return result

    logged_in(app, setup.emails[1]).submit(answer_url(setup), {"answer": "going"})
    member.submit(answer_url(setup), {"answer": "going"})
    few = counts()
    with app.app_context():
        event = db.session.get(Event, setup.event_id)
        for index in range(60):
            person = make_user()
            add_member(event.group, person)
            answer_event(person, event, "going" if index % 3 else "maybe")
            db.session.commit()
        assert (event.going_count, event.waitlist_count) == (20, 22)
    assert counts() == few
    # The session's user, the event with its group, the membership, and the answer with
    # its place in line: the panel adds that one statement to the page.
    assert few[0] <= 5


def test_a_first_answer_that_loses_to_another_insert_is_a_message_not_a_500(
    app, full_house, monkeypatch
):
    # The lock makes this impossible; should a second first answer ever reach the
    # insert, the unique constraint refuses it and the person is told so.
    member = logged_in(app, full_house.emails[0])
    assert member.submit(answer_url(full_house), {"answer": "maybe"}).status_code == 303
    monkeypatch.setattr("webapp.events.rsvp.services.answer_of", lambda user, event: None)
    response = member.submit(answer_url(full_house), {"answer": "going"}, htmx=True)
    assert response.status_code == 422
    assert "Your answer was already being saved." in html(response)
    with app.app_context():
        assert answers(full_house.event_id)[full_house.user_ids[0]][0] == Answer.MAYBE
        event = db.session.get(Event, full_house.event_id)
        assert (event.maybe_count, event.going_count) == (1, 0)


def test_the_panel_alone_reads_no_description(app, full_house):
    """The panel shows none of the event's or its group's long texts, and a description
    of a few paragraphs is 2 KB a row in each form (Markdown, HTML): its fragment and its
    live part leave them in the database."""
    member = logged_in(app, full_house.emails[1])
    page = member.get(f"/events/{full_house.event_id}-lantern-walk")
    live = re.search(r'hx-get="([^"]*/rsvp/live\?[^"]*)"', html(page)).group(1)
    # Someone else answers: the live part now has something to show.
    other = logged_in(app, full_house.emails[2])
    assert other.submit(answer_url(full_house), {"answer": "maybe"}).status_code == 303
    with statements_run(app) as statements:
        fragment = member.fragment(answer_url(full_house))
        fresh = member.fragment(live.replace("&amp;", "&"))
    assert fragment.status_code == 200 and fresh.status_code == 200
    reads = [statement for statement in statements if statement.lstrip().startswith("SELECT")]
    assert len(reads) == 4  # the session's user and the event, for each request
    assert not [statement for statement in reads if "description" in statement]


@pytest.mark.parametrize(
    ("language", "place"), [("en", "You are 1st on the waitlist"), ("es", "puesto 1 ")]
)
def test_a_place_in_line_reads_as_the_language_says_it(app, full_house, language, place):
    """English says the place as an ordinal; Spanish (and Babel) has none without a gender,
    so its sentence frames the number."""
    logged_in(app, full_house.emails[0]).submit(answer_url(full_house), {"answer": "going"})
    member = logged_in(app, full_house.emails[1])
    member.set_cookie(LANGUAGE_COOKIE, language)
    response = member.submit(answer_url(full_house), {"answer": "going"}, htmx=True)

    text = text_of(panel_of(response, full_house.event_id))
    assert place in text
    assert "1st" not in text or language == "en"
