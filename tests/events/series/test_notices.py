"""What people going to a series' dates are told, through HTTP and a real worker over SMTP:
an edit of "this date and every later one" is one notice per person naming each of their
dates it reached (with each date's calendar entry), nothing to those whose dates it did not
reach; ending the series from a date tells those going to the dates it cancels.
The member going to every date answered after the one going to a single date, and has the
lower place in the outbox, so no test passes by the order rows were written."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.events.series.support import (
    date_form,
    dates_of,
    logged_in,
    make_club,
    next_weekday,
    started,
)
from tests.support.auth import html

WINDOW = timedelta(minutes=10)
LATER = WINDOW + timedelta(minutes=1)


@pytest.fixture
def club(app):
    return make_club(app)


@pytest.fixture
def series(app, club, mailbox):
    """A published weekly series from a Tuesday: one member goes to its third date alone,
    then another to every date from the first, a third to the first date alone; the mail
    of those answers already read."""
    organiser, series_id = started(app, club, next_weekday(1), capacity="10")
    dates = dates_of(app, series_id)
    assert organiser.submit(f"/events/{dates[0].id}/manage/publish").status_code == 303
    every, single, first_only = club["members"]
    going = {"answer": "going", "guests": "0"}
    assert logged_in(app, single).submit(f"/events/{dates[2].id}/rsvp", going).status_code == 303
    assert logged_in(app, every).submit(f"/events/{dates[0].id}/series/going").status_code == 303
    assert (
        logged_in(app, first_only).submit(f"/events/{dates[0].id}/rsvp", going).status_code == 303
    )
    mailbox.messages()
    mailbox.listener.clear()
    return organiser, series_id, dates


def calendars_of(message):
    """The VEVENT of each text/calendar attachment, in order."""
    found = []
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            (entry,) = Calendar.from_ical(part.get_content()).walk("VEVENT")
            found.append(entry)
    return found


def test_an_edit_of_every_later_date_is_one_notice_per_person(app, club, series, mailbox):
    organiser, series_id, dates = series
    every, single, first_only = club["members"]
    edited = dates[1]
    form = date_form(
        edited.series_date,
        applies_to="following",
        starts_at=f"{edited.series_date:%Y-%m-%d}T20:00",
        ends_at=f"{edited.series_date:%Y-%m-%d}T22:00",
        venue="The Boathouse",
    )
    response = organiser.submit(f"/events/{edited.id}/manage/edit", form)
    assert response.status_code == 303, html(response)
    later = [date for date in dates_of(app, series_id) if date.series_date >= edited.series_date]
    assert all(date.starts_at.astimezone(date.zone).hour == 20 for date in later)

    assert mailbox.messages() == []  # the window is still open
    (notice,) = mailbox.after(LATER, every)
    assert notice["Subject"] == "New time and place for Board games"
    text = mailbox.text(notice)
    assert f"The same change reaches your {len(later) - 1} later dates of this series:" in text
    for date in later[1:]:
        assert f"/events/{date.id}-" in text
    entries = calendars_of(notice)
    assert [str(entry["UID"]).split("@")[0] for entry in entries] == [
        f"event-{date.id}" for date in later
    ]
    for entry, date in zip(entries, later, strict=True):
        start = entry.decoded("DTSTART")
        assert (start.date(), start.hour, str(entry["LOCATION"])) == (
            date.series_date,
            20,
            "The Boathouse",
        )

    # The third date alone: its own notice, naming no other date.
    (alone,) = mailbox.messages(single)
    assert "later date" not in mailbox.text(alone)
    assert [str(entry["UID"]).split("@")[0] for entry in calendars_of(alone)] == [
        f"event-{dates[2].id}"
    ]
    # The first date did not change.
    assert mailbox.messages(first_only) == []
    assert len(mailbox.messages()) == 2


def test_a_date_cancelled_before_the_notice_goes_is_left_out_of_it(app, club, series, mailbox):
    organiser, _series_id, dates = series
    every = club["members"][0]
    form = date_form(
        dates[1].series_date,
        applies_to="following",
        starts_at=f"{dates[1].series_date:%Y-%m-%d}T18:00",
        ends_at=f"{dates[1].series_date:%Y-%m-%d}T20:00",
    )
    assert organiser.submit(f"/events/{dates[1].id}/manage/edit", form).status_code == 303
    assert organiser.submit(f"/events/{dates[3].id}/manage/cancel").status_code == 303

    messages = mailbox.after(LATER, every)
    (cancelled,) = [m for m in messages if m["Subject"].startswith("Cancelled:")]
    (notice,) = [m for m in messages if m["Subject"].startswith("New time")]
    named = [str(entry["UID"]).split("@")[0] for entry in calendars_of(notice)]
    assert f"event-{dates[3].id}" not in named
    assert f"event-{dates[1].id}" in named and f"event-{dates[4].id}" in named
    assert f"/events/{dates[3].id}-" not in mailbox.text(notice)
    assert cancelled is not None


def test_ending_the_series_tells_those_going_to_the_dates_it_cancels(app, club, series, mailbox):
    organiser, series_id, dates = series
    every, single, first_only = club["members"]
    end_from = dates[2]
    page = organiser.get(f"/events/{end_from.id}/series/end")
    assert page.status_code == 200
    response = organiser.submit(f"/events/{end_from.id}/series/end")
    assert response.status_code == 303, html(response)

    gone = [date for date in dates if date.series_date >= end_from.series_date]
    (to_every,) = mailbox.messages(every)
    assert to_every["Subject"] == "Cancelled: Board games"
    text = mailbox.text(to_every)
    assert f"/events/{end_from.id}-" in text
    assert f"The series ends: your {len(gone) - 1} later dates of it are cancelled too:" in text
    entries = calendars_of(to_every)
    assert [str(entry["UID"]).split("@")[0] for entry in entries] == [
        f"event-{date.id}" for date in gone
    ]
    assert {str(entry["STATUS"]) for entry in entries} == {"CANCELLED"}
    # The third date alone: that date's cancellation, naming no other.
    (to_single,) = mailbox.messages(single)
    assert to_single["Subject"] == "Cancelled: Board games"
    assert "later date" not in mailbox.text(to_single)
    assert len(calendars_of(to_single)) == 1
    assert mailbox.messages(first_only) == []
    series_page = organiser.get(f"/series/{series_id}", follow_redirects=True)
    assert series_page.status_code == 200
