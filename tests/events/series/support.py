"""Series through HTTP: an organiser's and members' clients, the new-event form with a
repeat rule, and the dates a series made, read back."""

from datetime import timedelta

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.auth import html, login_data
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.events.series.models import EventSeries
from webapp.extensions import db


def make_club(app, members=3):
    """A group whose owner lives in Madrid, with members; their addresses and its slug."""
    with app.app_context():
        owner = make_user(time_zone="Europe/Madrid")
        group = make_group(owner, name="Tuesday Club")
        people = [add_member(group, make_user()).user for _ in range(members)]
        return {"slug": group.slug, "owner": owner.email, "members": [m.email for m in people]}


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


def next_weekday(weekday, weeks_ahead=1):
    today = utcnow().date()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def series_form(first_day, **changes):
    """The new-event form for a weekly series from first_day, 19:00-21:00 in Madrid."""
    fields = {
        "title": "Board games",
        "description": "",
        "starts_at": f"{first_day:%Y-%m-%d}T19:00",
        "ends_at": f"{first_day:%Y-%m-%d}T21:00",
        "time_zone": "Europe/Madrid",
        "venue": "The Lantern",
        "address": "",
        "online_url": "",
        "capacity": "2",
        "rsvp_deadline": "",
        "guests_allowed": "0",
        "repeats": "WEEKLY",
        "repeat_every": "1",
        "repeat_monthly_on": "day",
        "repeat_ends": "never",
        "repeat_until": "",
        "repeat_count": "",
    }
    fields.update(changes)
    return fields


def date_form(day, **changes):
    """A series date's edit form for day (the series' fields without the repeat ones)."""
    fields = {
        name: value for name, value in series_form(day).items() if not name.startswith("repeat")
    }
    fields.update(changes)
    return fields


def started(app, club, first, **changes):
    """The organiser's client, once it has started a weekly series from first; its id."""
    organiser = logged_in(app, club["owner"])
    response = organiser.submit(f"/groups/{club['slug']}/events/new", series_form(first, **changes))
    assert response.status_code == 303, html(response)
    with app.app_context():
        return organiser, db.session.scalar(sa.select(EventSeries.id))


def dates_of(app, series_id):
    with app.app_context():
        return db.session.scalars(
            sa.select(Event).where(Event.series_id == series_id).order_by(Event.series_date)
        ).all()
