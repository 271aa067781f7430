"""The agenda's rules, through HTTP: sessions inside the event, ending after they start,
never two at once in one room, times typed in the event's zone; a few speakers each.
A refusal is a 422 with the message beside its field, and nothing written."""

import html
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.agenda.factories import berlin, make_session, make_weekend, session_form
from tests.groups.factories import add_member, make_group
from webapp.events.agenda.models import AgendaSession, Speaker
from webapp.events.agenda.times import DASH
from webapp.extensions import db


@pytest.fixture
def weekend(app, auth):
    """The Maker weekend (Berlin, 30-31 March 2030), its organiser logged in."""
    with app.app_context():
        owner = make_user(email="owner@example.org")
        group = make_group(owner, name="Makers")
        add_member(group, make_user(email="member@example.org"))
        event_id = make_weekend(group).id
    assert auth.login("owner@example.org").status_code == 303
    return event_id


def add(client, event_id, *args, htmx=False, **kwargs):
    url = f"/events/{event_id}/agenda/sessions"
    return client.submit(url, session_form(*args, **kwargs), htmx=htmx)


def sessions(app):
    with app.app_context():
        return db.session.execute(
            sa.select(AgendaSession.title, AgendaSession.starts_at, AgendaSession.room).order_by(
                AgendaSession.starts_at, AgendaSession.id
            )
        ).all()


def field_error(response, field):
    """The message shown beside field (its id in the page), or None."""
    marker = f'id="{field}-error" class="field-error">'
    text = response.get_data(as_text=True)
    if marker not in text:
        return None
    return html.unescape(text.split(marker, 1)[1].split("</small>", 1)[0])


def test_a_session_is_stored_in_utc_from_the_events_wall_clock(app, client, weekend):
    response = add(client, weekend, "Keynote", "2030-03-30T10:00", "2030-03-30T11:00", "Hall")

    assert response.status_code == 303
    assert response.location.startswith(f"/events/{weekend}-maker-weekend#session-")
    # 10:00 in Berlin in March (CET, UTC+1) is 09:00 UTC.
    assert sessions(app) == [("Keynote", datetime(2030, 3, 30, 9, tzinfo=UTC), "Hall")]


@pytest.mark.parametrize(
    ("starts", "ends", "field", "message"),
    [
        ("2030-03-30T08:00", "2030-03-30T10:00", "new-starts_at", "The event starts on Sat 30 Mar"),
        ("2030-03-31T16:00", "2030-03-31T18:00", "new-ends_at", "The event ends on Sun 31 Mar"),
        ("2030-04-02T10:00", "2030-04-02T11:00", "new-starts_at", "start the session before then"),
        ("2030-03-30T11:00", "2030-03-30T10:00", "new-ends_at", "End the session after it starts"),
        ("2030-03-30T11:00", "2030-03-30T11:00", "new-ends_at", "End the session after it starts"),
    ],
    ids=["before-the-event", "after-the-event", "days-later", "ends-before-start", "no-length"],
)
def test_a_session_must_lie_within_the_event_and_end_after_it_starts(
    app, client, weekend, starts, ends, field, message
):
    response = add(client, weekend, "Misplaced", starts, ends)

    assert response.status_code == 422
    assert field_error(response, field) is not None
    if message:
        assert message in field_error(response, field)
    assert sessions(app) == []


def test_a_session_may_fill_the_event_exactly(app, client, weekend):
    assert (
        add(client, weekend, "All of it", "2030-03-30T09:00", "2030-03-31T17:00").status_code == 303
    )


def test_two_sessions_cannot_overlap_in_one_room_whatever_its_spelling(app, client, weekend):
    assert add(client, weekend, "Keynote", "2030-03-30T10:00", "2030-03-30T11:00", "Main hall")

    clash = add(
        client, weekend, "Workshop", "2030-03-30T10:30", "2030-03-30T12:00", "  main  HALL "
    )

    assert clash.status_code == 422
    message = field_error(clash, "new-room")
    assert f"Main hall is taken then by “Keynote” (Sat 30 Mar, 10:00{DASH}11:00)" in message
    assert [row.title for row in sessions(app)] == ["Keynote"]


def test_sessions_in_two_rooms_or_one_after_another_are_fine(app, client, weekend):
    assert (
        add(client, weekend, "Keynote", "2030-03-30T10:00", "2030-03-30T11:00", "Hall").status_code
        == 303
    )
    assert (
        add(client, weekend, "Workshop", "2030-03-30T10:00", "2030-03-30T11:00", "Lab").status_code
        == 303
    )
    # Touching is not overlapping: the next session starts as the first ends.
    assert (
        add(client, weekend, "Panel", "2030-03-30T11:00", "2030-03-30T12:00", "Hall").status_code
        == 303
    )
    assert [row.room for row in sessions(app)] == ["Hall", "Lab", "Hall"]


def test_sessions_without_a_room_never_clash(app, client, weekend):
    assert (
        add(client, weekend, "Registration", "2030-03-30T09:00", "2030-03-30T12:00").status_code
        == 303
    )
    assert add(client, weekend, "Coffee", "2030-03-30T10:00", "2030-03-30T10:30").status_code == 303
    assert (
        add(client, weekend, "Keynote", "2030-03-30T10:00", "2030-03-30T11:00", "Hall").status_code
        == 303
    )
    assert len(sessions(app)) == 3


def test_bad_input_comes_back_with_a_message_beside_each_field(app, client, weekend):
    response = client.submit(
        f"/events/{weekend}/agenda/sessions",
        {"new-title": "  ", "new-starts_at": "tomorrow", "new-ends_at": "", "new-room": "x" * 101},
    )

    assert response.status_code == 422
    assert field_error(response, "new-title") == "Give the session a title."
    assert "Enter a date and time" in field_error(response, "new-starts_at")
    assert field_error(response, "new-ends_at") is not None
    assert "100" in field_error(response, "new-room")
    # What was typed is kept, so it can be corrected.
    assert 'value="tomorrow"' in response.get_data(as_text=True)
    assert sessions(app) == []


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_a_date_at_the_end_of_the_calendar_is_refused_not_a_crash(app, client, weekend, year):
    response = add(client, weekend, "Far", f"{year}-01-01T10:00", f"{year}-01-01T11:00")

    assert response.status_code == 422
    assert field_error(response, "new-starts_at") is not None


def test_a_time_the_clocks_skip_is_refused(app, client, weekend):
    # At 02:00 on Sunday 31 March 2030 Berlin's clocks jump to 03:00: 02:30 never happens.
    response = add(client, weekend, "Night owls", "2030-03-31T02:30", "2030-03-31T04:00")

    assert response.status_code == 422
    message = field_error(response, "new-starts_at")
    assert "02:30 on Sun 31 Mar 2030 does not exist in Europe/Berlin" in message
    assert "clocks go forward an hour" in message
    assert sessions(app) == []


def test_a_session_across_the_change_of_clocks_keeps_its_real_length(app, client, weekend):
    # 01:00 CET to 04:00 CEST is two hours, not three.
    assert (
        add(client, weekend, "Night shift", "2030-03-31T01:00", "2030-03-31T04:00").status_code
        == 303
    )
    with app.app_context():
        stored = db.session.scalar(sa.select(AgendaSession))
        assert stored.ends_at - stored.starts_at == berlin("2030-03-31T04:00") - berlin(
            "2030-03-31T01:00"
        )
        assert (stored.ends_at - stored.starts_at).total_seconds() == 2 * 3600


def test_a_time_that_happens_twice_means_the_first(app, client, auth):
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        # Berlin's clocks go back at 03:00 on Sunday 27 October 2030: 02:30 happens twice.
        event = make_weekend(group, title="Autumn night")
        event.starts_at, event.ends_at = berlin("2030-10-26T20:00"), berlin("2030-10-27T06:00")
        db.session.commit()
        event_id, email = event.id, owner.email
    auth.login(email)

    assert add(client, event_id, "Late", "2030-10-27T02:30", "2030-10-27T04:00").status_code == 303

    assert sessions(app)[0].starts_at == datetime(2030, 10, 27, 0, 30, tzinfo=UTC)  # 02:30 CEST
    page = client.get(f"/events/{event_id}-autumn-night").get_data(as_text=True)
    assert "a time that happens twice means the first of the two" in page
    assert f"02:30 CEST{DASH}04:00 CET" in page


def test_an_edit_follows_the_same_rules(app, client, weekend):
    with app.app_context():
        from webapp.events.models import Event

        event = db.session.get(Event, weekend)
        make_session(event, "Keynote", "2030-03-30T10:00", "2030-03-30T11:00", "Hall")
        lab_id = make_session(event, "Lab", "2030-03-30T11:00", "2030-03-30T12:00", "Hall").id
    url = f"/events/{weekend}/agenda/sessions/{lab_id}/edit"
    prefix = f"session-{lab_id}"

    clash = client.submit(
        url, session_form("Lab", "2030-03-30T10:30", "2030-03-30T12:00", "hall", prefix)
    )
    outside = client.submit(
        url, session_form("Lab", "2030-03-30T11:00", "2030-04-01T12:00", "Lab", prefix)
    )
    # Saving a session where it already is does not clash with itself.
    same = client.submit(
        url, session_form("Lab time", "2030-03-30T11:00", "2030-03-30T12:00", "Hall", prefix)
    )

    assert clash.status_code == 422
    assert "“Keynote”" in field_error(clash, f"{prefix}-room")
    assert outside.status_code == 422
    assert field_error(outside, f"{prefix}-ends_at") is not None
    assert same.status_code == 303
    assert [row.title for row in sessions(app)] == ["Keynote", "Lab time"]


def test_an_agenda_holds_a_bounded_number_of_sessions(app, client, weekend, monkeypatch):
    monkeypatch.setattr("webapp.events.agenda.services.MAX_SESSIONS", 2)
    assert add(client, weekend, "One", "2030-03-30T10:00", "2030-03-30T11:00").status_code == 303
    assert add(client, weekend, "Two", "2030-03-30T11:00", "2030-03-30T12:00").status_code == 303

    third = add(client, weekend, "Three", "2030-03-30T12:00", "2030-03-30T13:00")

    assert third.status_code == 422
    assert "An agenda holds at most 2 sessions." in third.get_data(as_text=True)
    assert len(sessions(app)) == 2


def speakers(app, session_id):
    with app.app_context():
        return db.session.execute(
            sa.select(Speaker.name, Speaker.bio)
            .where(Speaker.session_id == session_id)
            .order_by(Speaker.position)
        ).all()


@pytest.fixture
def keynote(app, weekend):
    with app.app_context():
        from webapp.events.models import Event

        event = db.session.get(Event, weekend)
        return make_session(event, "Keynote", "2030-03-30T10:00", "2030-03-30T11:00", "Hall").id


def test_speakers_are_added_in_order_and_removed(app, client, weekend, keynote):
    url = f"/events/{weekend}/agenda/sessions/{keynote}/speakers"
    for name, bio in [("Ada Byron", "Wrote the first program."), ("  Grace   Hopper ", "")]:
        response = client.submit(
            url, {f"speaker-{keynote}-name": name, f"speaker-{keynote}-bio": bio}
        )
        assert response.status_code == 303
        assert response.location == f"/events/{weekend}-maker-weekend#session-{keynote}"
    assert speakers(app, keynote) == [
        ("Ada Byron", "Wrote the first program."),
        ("Grace Hopper", ""),
    ]

    with app.app_context():
        ada = db.session.scalar(sa.select(Speaker.id).where(Speaker.name == "Ada Byron"))
    removed = client.submit(f"{url}/{ada}/remove")

    assert removed.status_code == 303
    assert speakers(app, keynote) == [("Grace Hopper", "")]


def test_a_speaker_needs_a_name_and_a_short_bio(app, client, weekend, keynote):
    url = f"/events/{weekend}/agenda/sessions/{keynote}/speakers"
    prefix = f"speaker-{keynote}"

    nameless = client.submit(url, {f"{prefix}-name": " ", f"{prefix}-bio": "Mystery"})
    wordy = client.submit(url, {f"{prefix}-name": "Ada", f"{prefix}-bio": "x" * 501})

    assert nameless.status_code == 422
    assert field_error(nameless, f"{prefix}-name") == "Give the speaker's name."
    assert wordy.status_code == 422
    assert "500" in field_error(wordy, f"{prefix}-bio")
    assert speakers(app, keynote) == []


def test_a_session_has_at_most_ten_speakers(app, client, weekend, keynote):
    url = f"/events/{weekend}/agenda/sessions/{keynote}/speakers"
    prefix = f"speaker-{keynote}"
    for number in range(10):
        assert client.submit(url, {f"{prefix}-name": f"Speaker {number}"}).status_code == 303

    eleventh = client.submit(url, {f"{prefix}-name": "One too many"}, htmx=True)

    assert eleventh.status_code == 422
    assert field_error(eleventh, f"{prefix}-name") == "A session has at most 10 speakers."
    assert len(speakers(app, keynote)) == 10


def test_deleting_a_session_takes_its_speakers_with_it(app, client, weekend, keynote):
    client.submit(
        f"/events/{weekend}/agenda/sessions/{keynote}/speakers", {f"speaker-{keynote}-name": "Ada"}
    )

    response = client.submit(f"/events/{weekend}/agenda/sessions/{keynote}/delete")

    assert response.status_code == 303
    assert response.location == f"/events/{weekend}-maker-weekend#agenda"
    assert sessions(app) == []
    assert speakers(app, keynote) == []


def test_another_events_session_or_speaker_is_not_found(app, client, weekend, keynote):
    with app.app_context():
        from webapp.events.models import Event

        group = db.session.get(Event, weekend).group
        other_id = make_weekend(group, title="Other weekend").id
    base = f"/events/{weekend}/agenda/sessions"

    # The organiser manages both events, but a session belongs to one of them.
    assert client.get(f"/events/{other_id}/agenda/sessions/{keynote}/edit").status_code == 404
    assert client.submit(f"/events/{other_id}/agenda/sessions/{keynote}/delete").status_code == 404
    assert client.get(f"{base}/{keynote + 1000}/edit").status_code == 404
    assert client.submit(f"{base}/{keynote}/speakers/999/remove").status_code == 404
    assert [row.title for row in sessions(app)] == ["Keynote"]


@pytest.mark.parametrize(
    ("zone", "typed", "expected"),
    [
        ("America/New_York", "2030-03-10T02:30", "clocks go forward an hour"),
        # Lord Howe Island moves its clocks by half an hour.
        ("Australia/Lord_Howe", "2030-10-06T02:15", "clocks go forward 30 minutes"),
        ("America/New_York", "2030-11-03T01:30", datetime(2030, 11, 3, 5, 30, tzinfo=UTC)),
        ("Asia/Kolkata", "2030-03-31T02:30", datetime(2030, 3, 30, 21, 0, tzinfo=UTC)),
    ],
)
def test_wall_clock_times_in_other_zones(zone, typed, expected):
    from zoneinfo import ZoneInfo

    from webapp.database.unit_of_work import RuleError
    from webapp.events.times import to_utc

    moment = datetime.fromisoformat(typed)
    if isinstance(expected, datetime):
        assert to_utc(moment, ZoneInfo(zone), "starts_at") == expected
        return
    with pytest.raises(RuleError) as refused:
        to_utc(moment, ZoneInfo(zone), "starts_at")
    assert expected in refused.value.message
    assert refused.value.field == "starts_at"
