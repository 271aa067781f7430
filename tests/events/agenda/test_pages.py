"""The agenda as people see it on the event page, and each htmx endpoint twice: as the
fragment htmx swaps and as the page (or redirect) a browser without JavaScript gets."""

import re
from datetime import timedelta

import pytest

from tests.accounts.factories import make_user
from tests.events.agenda.factories import berlin, make_session, make_weekend, session_form
from tests.groups.factories import add_member, make_group
from webapp.database.times import utcnow
from webapp.events.agenda.times import DASH
from webapp.events.models import Event, EventStatus
from webapp.extensions import db

PAGE = "<!doctype html>"


@pytest.fixture
def weekend(app):
    """The Maker weekend with a keynote (two speakers) on Saturday and a talk on Sunday."""
    with app.app_context():
        owner = make_user(email="owner@example.org")
        group = make_group(owner, name="Makers")
        add_member(group, make_user(email="member@example.org"))
        add_member(group, make_user(email="newyork@example.org", time_zone="America/New_York"))
        event = make_weekend(group)
        keynote = make_session(
            event,
            "Opening keynote",
            "2030-03-30T10:00",
            "2030-03-30T11:00",
            "Main hall",
            speakers=[("Ada Byron", "Wrote the first program."), ("Grace Hopper", "")],
        )
        talk = make_session(event, "Soldering 101", "2030-03-31T14:00", "2030-03-31T15:30", "Lab")
        return {"event": event.id, "keynote": keynote.id, "talk": talk.id}


@pytest.fixture
def organiser(auth, weekend):
    assert auth.login("owner@example.org").status_code == 303
    return weekend


def event_page(client, event_id):
    return client.get(f"/events/{event_id}-maker-weekend").get_data(as_text=True)


def input_value(page, input_id):
    tag = re.search(rf'<input[^>]*\bid="{input_id}"[^>]*>', page).group(0)
    return re.search(r'\bvalue="([^"]*)"', tag).group(1)


def agenda_of(page):
    start = page.index('<section id="agenda"')
    return page[start : page.index("</section>", start)]


def test_the_programme_is_grouped_by_day_in_the_events_zone(client, weekend):
    agenda = agenda_of(event_page(client, weekend["event"]))

    assert "Saturday 30 March 2030" in agenda
    assert "Sunday 31 March 2030" in agenda
    assert (
        agenda.index("Opening keynote")
        < agenda.index("Sunday 31 March")
        < agenda.index("Soldering")
    )
    # The clocks change during the weekend, so each time says which of them it is.
    assert f"10:00{DASH}11:00 CET" in agenda
    assert f"14:00{DASH}15:30 CEST" in agenda
    assert "Times in Europe/Berlin." in agenda
    assert "Main hall" in agenda
    assert "Ada Byron" in agenda and "Wrote the first program." in agenda
    assert "Grace Hopper" in agenda
    # A visitor reads it; nothing to edit.
    assert "Edit" not in agenda and "Add a session" not in agenda


def test_one_days_event_has_no_day_headings(app, client):
    with app.app_context():
        event = make_weekend(make_group(make_user()), title="Evening")
        event.starts_at, event.ends_at = berlin("2030-06-14T18:00"), berlin("2030-06-14T23:00")
        db.session.commit()
        make_session(event, "Lightning talks", "2030-06-14T19:00", "2030-06-14T20:00")
        event_id = event.id

    agenda = agenda_of(client.get(f"/events/{event_id}-evening").get_data(as_text=True))

    assert "Friday 14 June 2030. Times in Europe/Berlin." in agenda
    assert "<h3" in agenda and 'class="agenda-day"' not in agenda
    assert f"19:00{DASH}20:00" in agenda
    assert "CEST" not in agenda  # no change of clocks, no abbreviations


def test_a_viewer_in_another_zone_sees_their_own_time_beside(client, auth, weekend):
    auth.login("newyork@example.org")

    agenda = agenda_of(event_page(client, weekend["event"]))

    # 10:00 in Berlin on 30 March 2030 is 05:00 in New York (EDT since 10 March).
    assert f"(Sat 30 Mar, 05:00{DASH}06:00)" in agenda
    assert "In brackets: your own time (America/New York)." in agenda


def test_members_read_the_agenda_and_organisers_edit_it(client, auth, weekend):
    auth.login("member@example.org")
    as_member = agenda_of(event_page(client, weekend["event"]))
    auth.logout()
    auth.login("owner@example.org")
    as_organiser = agenda_of(event_page(client, weekend["event"]))

    assert "Opening keynote" in as_member
    assert "Edit" not in as_member and "Add a speaker" not in as_member
    assert (
        f'href="/events/{weekend["event"]}/agenda/sessions/{weekend["keynote"]}/edit"'
        in as_organiser
    )
    assert "Add a speaker" in as_organiser and "Add a session" in as_organiser
    assert 'Remove<span class="visually-hidden"> Ada Byron from Opening keynote' in as_organiser


def test_an_empty_agenda_is_left_out_except_for_organisers(app, client, auth):
    with app.app_context():
        owner = make_user()
        event_id = make_weekend(make_group(owner)).id
        email = owner.email

    assert 'id="agenda"' not in event_page(client, event_id)
    auth.login(email)
    page = event_page(client, event_id)
    assert "No sessions yet." in page
    assert "Add a session" in page


def test_the_new_session_form_comes_when_opened_or_as_a_page(app, client, auth):
    """The event page carries "Add a session" without its form: opening it fetches the
    form (htmx), and without JavaScript its link opens the form as a page."""
    with app.app_context():
        owner = make_user()
        event_id = make_weekend(make_group(owner)).id
        email = owner.email
    auth.login(email)
    url = f"/events/{event_id}/agenda/sessions/new"

    page = event_page(client, event_id)
    fragment = client.fragment(url)
    form_page = client.get(url)

    assert 'id="new-starts_at"' not in page
    assert f'hx-get="{url}"' in page and f'<a href="{url}">' in page
    for response in (fragment, form_page):
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        # The new session's form suggests the event's start and an hour.
        assert input_value(body, "new-starts_at") == "2030-03-30T09:00"
        assert input_value(body, "new-ends_at") == "2030-03-30T10:00"
    assert fragment.get_data(as_text=True).lstrip().startswith('<form id="new-session"')
    assert PAGE not in fragment.get_data(as_text=True)
    assert "<h1>Add a session</h1>" in form_page.get_data(as_text=True)
    assert PAGE in form_page.get_data(as_text=True)


def test_sessions_left_outside_by_new_event_times_are_flagged_to_organisers(
    app, client, auth, weekend
):
    with app.app_context():
        event = db.session.get(Event, weekend["event"])
        event.ends_at = berlin("2030-03-30T18:00")  # now a one-day event: Sunday's talk is out
        db.session.commit()

    auth.login("member@example.org")
    as_member = agenda_of(event_page(client, weekend["event"]))
    auth.logout()
    auth.login("owner@example.org")
    as_organiser = agenda_of(event_page(client, weekend["event"]))

    assert "Soldering 101" not in as_member
    assert "Outside the event's time now." not in as_member
    assert "Soldering 101" in as_organiser
    assert "Outside the event's time now." in as_organiser
    assert "1 session is outside the event's time now" in as_organiser


def test_a_cancelled_events_agenda_is_read_only(app, client, auth, weekend):
    with app.app_context():
        event = db.session.get(Event, weekend["event"])
        event.status, event.cancelled_at = EventStatus.CANCELLED, utcnow()
        db.session.commit()
    auth.login("owner@example.org")

    agenda = agenda_of(event_page(client, weekend["event"]))
    edit = client.get(f"/events/{weekend['event']}/agenda/sessions/{weekend['keynote']}/edit")
    add = client.submit(
        f"/events/{weekend['event']}/agenda/sessions",
        session_form("Late addition", "2030-03-30T12:00", "2030-03-30T13:00"),
    )

    assert "Opening keynote" in agenda
    assert "This event is cancelled: its agenda can no longer change." in agenda
    assert "Edit" not in agenda and "Add a session" not in agenda
    assert edit.status_code == 403
    assert add.status_code == 403


def test_a_deleted_events_agenda_is_gone(app, client, auth, weekend):
    with app.app_context():
        db.session.get(Event, weekend["event"]).deleted_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    auth.login("owner@example.org")

    assert client.get(f"/events/{weekend['event']}-maker-weekend").status_code == 404
    assert (
        client.get(
            f"/events/{weekend['event']}/agenda/sessions/{weekend['keynote']}/edit"
        ).status_code
        == 404
    )


# --- each htmx endpoint: the fragment, and the page without JavaScript ---------------------


def test_adding_without_javascript_redirects_to_the_event_with_a_flash(client, organiser):
    response = client.submit(
        f"/events/{organiser['event']}/agenda/sessions",
        session_form("Repair café", "2030-03-30T12:00", "2030-03-30T13:00", "Lab"),
    )

    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert "“Repair café” is on the agenda." in page
    assert "Repair café" in agenda_of(page)


def test_adding_with_htmx_swaps_the_whole_agenda_and_keeps_the_form_open(client, organiser):
    response = client.submit(
        f"/events/{organiser['event']}/agenda/sessions",
        session_form("Repair café", "2030-03-30T12:00", "2030-03-30T13:00", "Lab"),
        htmx=True,
    )
    body = response.get_data(as_text=True)

    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#agenda"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert body.lstrip().startswith('<section id="agenda"') and PAGE not in body
    assert "Repair café" in body
    assert '<details class="agenda-add" open>' in body
    # The next session is suggested where this one ends.
    assert input_value(body, "new-starts_at") == "2030-03-30T13:00"
    assert input_value(body, "new-ends_at") == "2030-03-30T14:00"
    assert "“Repair café” is on the agenda." in body  # the flash, out of band


def test_a_refused_new_session_is_the_form_alone_for_htmx_and_a_page_without(client, organiser):
    url = f"/events/{organiser['event']}/agenda/sessions"
    data = session_form("Clash", "2030-03-30T10:30", "2030-03-30T11:30", "main hall")

    fragment = client.submit(url, data, htmx=True)
    page = client.submit(url, data)

    assert fragment.status_code == page.status_code == 422
    assert fragment.get_data(as_text=True).lstrip().startswith('<form id="new-session"')
    assert PAGE not in fragment.get_data(as_text=True)
    assert "Main hall is taken then" in fragment.get_data(as_text=True)
    assert PAGE in page.get_data(as_text=True)
    assert "<h1>Add a session</h1>" in page.get_data(as_text=True)
    assert "Main hall is taken then" in page.get_data(as_text=True)


def test_edit_swaps_the_row_to_its_form_and_cancel_swaps_it_back(client, organiser):
    base = f"/events/{organiser['event']}/agenda/sessions/{organiser['keynote']}"

    form = client.fragment(f"{base}/edit")
    page = client.get(f"{base}/edit")
    row = client.fragment(base)
    without_js = client.get(base)

    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert text.lstrip().startswith(
        f'<li id="session-{organiser["keynote"]}" class="agenda-session is-editing">'
    )
    assert 'value="2030-03-30T10:00"' in text and 'value="Main hall"' in text
    assert PAGE in page.get_data(as_text=True)
    assert "<h1>Edit “Opening keynote”</h1>" in page.get_data(as_text=True)
    assert row.status_code == 200
    assert (
        row.get_data(as_text=True)
        .lstrip()
        .startswith(f'<li id="session-{organiser["keynote"]}" class="agenda-session">')
    )
    assert "Ada Byron" in row.get_data(as_text=True)
    assert without_js.status_code == 303
    assert (
        without_js.location
        == f"/events/{organiser['event']}-maker-weekend#session-{organiser['keynote']}"
    )


def test_saving_an_edit(client, organiser):
    url = f"/events/{organiser['event']}/agenda/sessions/{organiser['keynote']}/edit"
    prefix = f"session-{organiser['keynote']}"

    saved = client.submit(
        url,
        session_form("Keynote", "2030-03-30T09:30", "2030-03-30T10:30", "Hall", prefix),
        htmx=True,
    )
    refused = client.submit(
        url,
        session_form("Keynote", "2030-03-30T10:30", "2030-03-30T09:30", "Hall", prefix),
        htmx=True,
    )
    refused_page = client.submit(
        url, session_form("", "2030-03-30T10:00", "2030-03-30T11:00", "", prefix)
    )
    plain = client.submit(
        url, session_form("Keynote!", "2030-03-30T09:30", "2030-03-30T10:30", "Hall", prefix)
    )

    assert saved.status_code == 200 and saved.headers["HX-Retarget"] == "#agenda"
    assert f"09:30{DASH}10:30 CET" in saved.get_data(as_text=True)
    assert "“Keynote” is saved." in saved.get_data(as_text=True)
    assert refused.status_code == 422
    assert (
        refused.get_data(as_text=True)
        .lstrip()
        .startswith(f'<li id="session-{organiser["keynote"]}" class="agenda-session is-editing">')
    )
    assert "End the session after it starts." in refused.get_data(as_text=True)
    assert refused_page.status_code == 422 and PAGE in refused_page.get_data(as_text=True)
    assert "Give the session a title." in refused_page.get_data(as_text=True)
    assert plain.status_code == 303
    assert plain.location.endswith(f"#session-{organiser['keynote']}")


def test_delete_asks_first_then_swaps_the_agenda(client, organiser):
    url = f"/events/{organiser['event']}/agenda/sessions/{organiser['keynote']}/delete"

    dialog = client.fragment(url)
    page = client.get(url)
    deleted = client.submit(url, htmx=True)

    assert dialog.status_code == 200
    assert dialog.get_data(as_text=True).lstrip().startswith('<article id="delete-session-confirm"')
    assert "with its 2 speakers" in dialog.get_data(as_text=True)
    assert PAGE in page.get_data(as_text=True)
    assert '<h1 id="delete-session-title">Delete “Opening keynote”?</h1>' in page.get_data(
        as_text=True
    )
    assert deleted.status_code == 200 and deleted.headers["HX-Retarget"] == "#agenda"
    body = deleted.get_data(as_text=True)
    assert "Opening keynote" not in agenda_of(body)
    assert "“Opening keynote” is off the agenda." in body
    assert "Soldering 101" in body


def test_speakers_swap_their_sessions_row(client, organiser):
    session_id = organiser["keynote"]
    url = f"/events/{organiser['event']}/agenda/sessions/{session_id}/speakers"
    prefix = f"speaker-{session_id}"

    added = client.submit(
        url, {f"{prefix}-name": "Alan Kay", f"{prefix}-bio": "Objects."}, htmx=True
    )
    refused = client.submit(url, {f"{prefix}-name": ""}, htmx=True)
    refused_page = client.submit(url, {f"{prefix}-name": ""})

    row_start = f'<li id="session-{session_id}" class="agenda-session">'
    assert added.status_code == 200
    assert added.get_data(as_text=True).lstrip().startswith(row_start)
    assert "Alan Kay" in added.get_data(as_text=True) and "Objects." in added.get_data(as_text=True)
    assert "Alan Kay is a speaker of “Opening keynote”." in added.get_data(as_text=True)
    assert refused.status_code == 422
    assert refused.get_data(as_text=True).lstrip().startswith(row_start)
    assert '<details class="speaker-add" open>' in refused.get_data(as_text=True)
    assert "Give the speaker&#39;s name." in refused.get_data(as_text=True)
    assert refused_page.status_code == 422 and PAGE in refused_page.get_data(as_text=True)
    assert "<h1>Add a speaker to “Opening keynote”</h1>" in refused_page.get_data(as_text=True)


def test_removing_a_speaker_swaps_the_row_or_redirects(app, client, organiser):
    session_id = organiser["keynote"]
    with app.app_context():
        from webapp.events.agenda.models import Speaker

        ada, grace = (
            s.id
            for s in db.session.query(Speaker)
            .filter_by(session_id=session_id)
            .order_by(Speaker.position)
        )
    base = f"/events/{organiser['event']}/agenda/sessions/{session_id}/speakers"

    fragment = client.submit(f"{base}/{ada}/remove", htmx=True)
    plain = client.submit(f"{base}/{grace}/remove")

    assert fragment.status_code == 200
    assert "Ada Byron" not in fragment.get_data(as_text=True).split("flashes")[0]
    assert "Grace Hopper" in fragment.get_data(as_text=True)
    assert plain.status_code == 303
    assert plain.location.endswith(f"#session-{session_id}")
    assert "Grace Hopper is no longer a speaker" in client.get(plain.location).get_data(
        as_text=True
    )
