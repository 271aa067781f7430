"""Organisers start, edit, publish, cancel and delete events; bad input comes back 422
with the message beside its field, and the signals other parts listen to are sent."""

import contextlib
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from blinker import ANY

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.support import event_data, event_path, local, stored_event
from tests.groups.factories import add_member, make_group
from tests.support.auth import field_error, form_errors, html
from webapp.events import signals
from webapp.events.models import Event, EventStatus
from webapp.extensions import db


@pytest.fixture
def club(app):
    """Walkers (public): Olga owns it, Omar organises (in New York), Mina is a member."""
    with app.app_context():
        olga = make_user(email="olga@example.org", first_name="Olga", time_zone="Europe/Berlin")
        omar = make_user(email="omar@example.org", time_zone="America/New_York")
        mina = make_user(email="mina@example.org", time_zone="Europe/Berlin")
        group = make_group(olga, name="Walkers", slug="walkers")
        add_member(group, omar, role="organiser")
        add_member(group, mina)
        return SimpleNamespace(group=group, new="/groups/walkers/events/new")


@contextlib.contextmanager
def caught(signal):
    """What signal sent while the block ran: a list of (sender, keyword arguments)."""
    sent = []

    def receiver(sender, **kwargs):
        sent.append((sender.id, kwargs))

    with signal.connected_to(receiver, sender=ANY):
        yield sent


def utc(text, zone):
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def test_an_organiser_starts_a_draft_read_on_the_clocks_of_its_zone(app, client, auth, club):
    auth.login("omar@example.org")
    data = event_data(time_zone="Asia/Tokyo", capacity="12", guests_allowed="2")

    response = client.submit(club.new, data)

    event = stored_event(app, title="Canal walk")
    assert response.status_code == 303
    assert response.location == event_path(event)
    assert event.status == EventStatus.DRAFT
    assert event.slug == "canal-walk"
    assert event.starts_at == utc(data["starts_at"], "Asia/Tokyo")
    assert event.ends_at == utc(data["ends_at"], "Asia/Tokyo")
    assert (event.capacity, event.guests_allowed, event.time_zone) == (12, 2, "Asia/Tokyo")
    assert "<strong>lock</strong>" in event.description_html
    page = html(client.get(response.location))
    assert "The draft is saved" in page
    assert "This is a draft" in page
    assert "JST" in page


def test_the_form_starts_in_the_organisers_own_zone(client, auth, club):
    auth.login("omar@example.org")

    page = html(client.get(club.new))

    assert re.search(r'<option selected value="America/New_York">', page)
    assert 'type="datetime-local"' in page
    assert "the first one" in page  # what an ambiguous time means


def test_a_new_event_works_as_an_htmx_form_too(app, client, auth, club):
    auth.login("omar@example.org")

    response = client.submit(club.new, event_data(), htmx=True)

    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == event_path(stored_event(app, title="Canal walk"))


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"title": "  "}, "title", "Give the event a title."),
        ({"title": "T" * 151}, "title", "longer than 150 characters"),
        ({"starts_at": ""}, "starts_at", "When does it start?"),
        ({"starts_at": "next friday"}, "starts_at", "Enter a date and time"),
        ({"starts_at": "0001-01-01T10:00"}, "starts_at", "between 2000 and 2100"),
        ({"ends_at": local(hour=17)}, "ends_at", "The end must come after the start."),
        ({"ends_at": local(hour=18)}, "ends_at", "The end must come after the start."),
        ({"ends_at": local(days=90)}, "ends_at", "at most 31 days"),
        ({"rsvp_deadline": local(hour=19)}, "rsvp_deadline", "no later than the start"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Choose a time zone from the list."),
        ({"online_url": "javascript:alert(1)"}, "online_url", "https://"),
        ({"online_url": "ftp://example.org/x"}, "online_url", "https://"),
        ({"online_url": "https://"}, "online_url", "https://"),
        ({"capacity": "0"}, "capacity", "Capacity is from 1 to 100,000 people."),
        ({"capacity": "99999999999999"}, "capacity", "Capacity is from 1 to 100,000"),
        ({"capacity": "ten"}, "capacity", "Enter a whole number."),
        ({"guests_allowed": "11"}, "guests_allowed", "from 0 to 10 guests"),
        ({"guests_allowed": "-1"}, "guests_allowed", "from 0 to 10 guests"),
        # Clocks in Berlin go from 02:00 to 03:00 on the last Sunday of March 2027.
        (
            {"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T05:00"},
            "starts_at",
            "02:30 on Sun 28 Mar 2027 does not exist in Europe/Berlin",
        ),
    ],
)
def test_bad_input_comes_back_422_beside_its_field(
    app, client, auth, club, overrides, field_id, message, htmx
):
    auth.login("omar@example.org")

    response = client.submit(club.new, event_data(**overrides), htmx=htmx)

    assert response.status_code == 422
    assert message in (field_error(response, field_id) or ""), html(response)
    assert html(response).lstrip().startswith('<form id="event-form"') is htmx
    assert stored_event(app, title="Canal walk") is None


def test_an_ambiguous_time_is_the_first_of_the_two(app, client, auth, club):
    """Berlin's clocks pass 02:30 twice on 31 October 2027: CEST (UTC+2) comes first."""
    auth.login("omar@example.org")
    data = event_data(starts_at="2027-10-31T02:30", ends_at="2027-10-31T04:00")

    assert client.submit(club.new, data).status_code == 303

    event = stored_event(app, title="Canal walk")
    assert event.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert event.ends_at == datetime(2027, 10, 31, 3, 0, tzinfo=UTC)


def test_editing_moves_the_address_and_tells_what_changed(app, client, auth, club):
    with app.app_context():
        event = make_event(club.group, title="Canal walk", time_zone="Europe/Berlin")
    auth.login("omar@example.org")
    edit = f"/events/{event.id}/manage/edit"
    form = html(client.get(edit))
    assert 'value="Canal walk"' in form

    with caught(signals.event_changed) as sent:
        response = client.submit(edit, event_data(title="Towpath walk", venue="The bridge"))

    assert response.status_code == 303
    moved = stored_event(app, event.id)
    assert response.location == f"/events/{event.id}-towpath-walk"
    assert client.get(f"/events/{event.id}-canal-walk").status_code == 301
    assert sent == [
        (
            event.id,
            {"changes": {"title", "description", "venue", "address", "starts_at", "ends_at"}},
        )
    ]
    assert moved.venue == "The bridge"


def test_the_edit_form_shows_the_stored_times_on_the_events_clocks(app, client, auth, club):
    with app.app_context():
        event = make_event(
            club.group,
            time_zone="America/New_York",
            starts_at=datetime(2030, 7, 4, 22, 0, tzinfo=UTC),
            ends_at=datetime(2030, 7, 5, 1, 0, tzinfo=UTC),
        )
    auth.login("olga@example.org")

    page = html(client.get(f"/events/{event.id}/manage/edit"))

    assert 'value="2030-07-04T18:00"' in page
    assert 'value="2030-07-04T21:00"' in page
    assert re.search(r'<option selected value="America/New_York">', page)


def test_saving_the_same_values_changes_nothing_and_sends_nothing(app, client, auth, club):
    auth.login("omar@example.org")
    client.submit(club.new, event_data())
    event = stored_event(app, title="Canal walk")

    with caught(signals.event_changed) as sent:
        response = client.submit(f"/events/{event.id}/manage/edit", event_data())

    assert response.status_code == 303
    assert sent == []
    assert "Nothing changed." in html(client.get(response.location))


def test_the_capacity_cannot_drop_below_the_places_taken(app, client, auth, club):
    auth.login("omar@example.org")
    client.submit(club.new, event_data(capacity="10"))
    event = stored_event(app, title="Canal walk")
    with app.app_context():
        db.session.get(Event, event.id).places_taken = 6
        db.session.commit()
    edit = f"/events/{event.id}/manage/edit"

    refused = client.submit(edit, event_data(capacity="5"))
    with caught(signals.event_changed) as sent:
        accepted = client.submit(edit, event_data(capacity="6"))

    assert refused.status_code == 422
    assert "6 places are already taken" in field_error(refused, "capacity")
    assert accepted.status_code == 303
    assert sent == [(event.id, {"changes": {"capacity"}})]
    assert stored_event(app, event.id).capacity == 6


def test_publish_then_cancel(app, client, auth, club):
    auth.login("omar@example.org")
    client.submit(club.new, event_data())
    event = stored_event(app, title="Canal walk")
    manage = f"/events/{event.id}/manage"

    with caught(signals.event_published) as published:
        assert client.submit(f"{manage}/publish").status_code == 303
        again = client.submit(f"{manage}/publish")
    assert published == [(event.id, {})]
    assert "already published" in html(client.get(again.location))
    assert stored_event(app, event.id).status == EventStatus.PUBLISHED

    question = client.get(f"{manage}/cancel")
    assert question.status_code == 200
    assert '<h1 id="cancel-confirm-title">Cancel “Canal walk”?</h1>' in html(question)
    dialog = client.fragment(f"{manage}/cancel")
    assert html(dialog).lstrip().startswith('<article id="cancel-confirm"')
    with caught(signals.event_cancelled) as cancelled:
        response = client.submit(f"{manage}/cancel")
    assert response.status_code == 303
    assert cancelled == [(event.id, {"with_series": False})]
    assert stored_event(app, event.id).status == EventStatus.CANCELLED

    auth.logout()
    auth.login("mina@example.org")
    page = html(client.get(event_path(event)))
    assert "This event is cancelled." in page
    assert "Cancelled</span>" in page


def test_a_draft_is_deleted_not_cancelled_and_a_cancelled_event_not_edited(app, client, auth, club):
    with app.app_context():
        draft = make_event(club.group, status=EventStatus.DRAFT).id
        called_off = make_event(club.group, title="Off", status=EventStatus.CANCELLED).id
    auth.login("olga@example.org")

    refused = client.submit(f"/events/{draft}/manage/cancel")
    assert refused.status_code == 422
    assert "delete it instead" in form_errors(refused)[0]
    assert "Nobody has seen this draft" in html(client.get(f"/events/{draft}/manage/cancel"))

    edit = f"/events/{called_off}/manage/edit"
    assert "can no longer be changed" in html(client.get(edit))
    response = client.submit(edit, event_data(title="Back on"))
    assert response.status_code == 422
    assert "can no longer be changed" in form_errors(response)[0]
    assert stored_event(app, called_off).title == "Off"


def test_an_event_that_has_ended_is_not_published(app, client, auth, club):
    with app.app_context():
        old = make_event(club.group, status=EventStatus.DRAFT, starts_in=-timedelta(days=3))
    auth.login("olga@example.org")

    response = client.submit(f"/events/{old.id}/manage/publish")

    assert "already ended" in html(client.get(response.location))
    assert stored_event(app, old.id).status == EventStatus.DRAFT


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_deleting_hides_the_event_everywhere(app, client, auth, club, htmx):
    with app.app_context():
        event = make_event(club.group, title="Canal walk")
    auth.login("omar@example.org")
    manage = f"/events/{event.id}/manage"
    assert "Delete “Canal walk”?" in html(client.get(f"{manage}/delete"))

    with caught(signals.event_deleted) as sent:
        response = client.submit(f"{manage}/delete", htmx=htmx)

    if htmx:
        assert response.headers["HX-Redirect"] == "/groups/walkers"
    else:
        assert (response.status_code, response.location) == (303, "/groups/walkers")
    assert sent == [(event.id, {})]
    assert stored_event(app, event.id).deleted_at is not None
    assert client.get(event_path(event)).status_code == 404
    assert client.get(f"{manage}/edit").status_code == 404
    assert "Canal walk" not in html(client.get("/events"))
    assert "Canal walk" not in html(client.get("/groups/walkers"))


def test_the_description_is_sanitised(app, client, auth, club):
    auth.login("omar@example.org")
    client.submit(
        club.new,
        event_data(description="<script>alert(1)</script>[x](javascript:alert(2)) **ok**"),
    )
    event = stored_event(app, title="Canal walk")

    page = html(client.get(event_path(event)))

    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "<strong>ok</strong>" in page


def test_organiser_actions_are_plain_forms_and_links(app, client, auth, club):
    with app.app_context():
        draft = make_event(club.group, title="Plans", status=EventStatus.DRAFT)
    path, manage = event_path(draft), f"/events/{draft.id}/manage"
    auth.login("mina@example.org")
    assert client.get(path).status_code == 404  # a member does not see a draft
    auth.logout()
    auth.login("omar@example.org")

    page = html(client.get(path))

    assert f'<a href="{manage}/edit" role="button"' in page
    assert f'<form method="post" action="{manage}/publish"' in page
    assert f'<form method="get" action="{manage}/delete" hx-get="{manage}/delete"' in page
    assert f"{manage}/cancel" not in page  # a draft is deleted, not cancelled


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_edit_and_delete_answer_htmx_with_their_fragment(app, client, auth, club, htmx):
    with app.app_context():
        event = make_event(club.group, title="Canal walk")
    manage = f"/events/{event.id}/manage"
    auth.login("olga@example.org")
    get = client.fragment if htmx else client.get

    refused = client.submit(f"{manage}/edit", event_data(title=""), htmx=htmx)
    question = get(f"{manage}/delete")
    form = get(f"{manage}/edit")

    assert refused.status_code == 422
    assert html(refused).lstrip().startswith('<form id="event-form"') is htmx
    assert html(question).lstrip().startswith('<article id="delete-confirm"') is htmx
    assert html(form).lstrip().startswith('<form id="event-form"') is htmx
    assert ("<h1>Edit the event</h1>" in html(form)) is not htmx


def test_the_event_page_tells_when_where_and_how_many(app, client, auth, club):
    with app.app_context():
        event = make_event(
            club.group,
            title="Carols",
            time_zone="Europe/Berlin",
            starts_at=datetime(2099, 12, 5, 17, 0, tzinfo=UTC),
            ends_at=datetime(2099, 12, 5, 19, 0, tzinfo=UTC),
            rsvp_deadline=datetime(2099, 12, 4, 11, 0, tzinfo=UTC),
            venue="St Mary's",
            address="1 Church Lane",
            online_url="https://meet.example.org/carols",
            capacity=30,
            places_taken=12,
            going_count=10,
            guests_allowed=2,
        )
    path = event_path(event)

    visitor = html(client.get(path))
    assert "Sat 5 Dec 2099, 18:00\N{EN DASH}20:00 CET</time>" in visitor
    assert "Your time" not in visitor  # a visitor's zone is unknown
    assert "St Mary&#39;s" in visitor and "1 Church Lane" in visitor
    assert "18 places left of 30" in visitor and "10 going" in visitor
    assert "up to 2 guests" in visitor
    assert "Fri 4 Dec 2099, 12:00 CET" in visitor
    # The call's link is for members: a public page would hand it to anyone passing by.
    assert "meet.example.org" not in visitor
    assert "The link is shown to members of Walkers." in visitor

    auth.login("omar@example.org")  # an organiser in New York
    organiser = html(client.get(path))
    assert 'href="https://meet.example.org/carols"' in organiser
    assert "Your time: Sat 5 Dec 2099, 12:00\N{EN DASH}14:00 EST" in organiser
