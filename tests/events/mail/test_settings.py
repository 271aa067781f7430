"""The settings for events: one switch per kind of event email, and the calendar feed's
address, as a page and as htmx fragments; who may reach them."""

import html

import pytest
import sqlalchemy as sa

from tests.support.html_checks import input_value, is_checked
from tests.support.members import new_member
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.extensions import db

KIND_IDS = {kind: f"event-mail-{kind.value}" for kind in EventMailKind}
ROUTES = ["/settings/event-mail", "/settings/calendar-feed"]


@pytest.fixture
def member(app):
    return new_member(app, first_name="Ada")


@pytest.fixture
def logged_in(auth, member):
    assert auth.login(member.email).status_code == 303
    return member


def opted_out(app, user_id):
    with app.app_context():
        return set(
            db.session.scalars(
                sa.select(EventMailOptOut.kind).where(EventMailOptOut.user_id == user_id)
            )
        )


def choices(*kinds):
    return {KIND_IDS[kind]: "y" for kind in kinds}


@pytest.mark.parametrize("url", ROUTES)
def test_a_visitor_is_sent_to_log_in_and_nothing_changes(app, client, member, url):
    assert client.get(url).location.startswith("/login?next=")
    response = client.submit(url, choices())
    assert response.status_code == 303
    assert response.location.startswith("/login?next=")
    assert opted_out(app, member.id) == set()


def test_every_kind_is_on_until_turned_off(client, logged_in):
    page = client.get("/settings").text
    for kind, field_id in KIND_IDS.items():
        assert is_checked(page, field_id), kind
    # A label from the catalogue (a lazy string) is not entity-escaped: read it as text.
    assert "A reminder a day before an event I'm going to" in html.unescape(page)
    assert input_value(page, "calendar-feed-url").startswith("http://localhost/calendar/")
    assert 'href="webcal://localhost/calendar/' in page


def test_turning_kinds_off_and_on_again(app, client, logged_in):
    kept = [EventMailKind.CONFIRMATION, EventMailKind.CANCELLATIONS]

    response = client.submit("/settings/event-mail", choices(*kept))

    assert response.status_code == 303
    assert response.location == "/settings#event-mail"
    assert opted_out(app, logged_in.id) == set(EventMailKind) - set(kept)
    page = client.get(response.location).text
    assert "Your event email choices are saved." in page
    for kind, field_id in KIND_IDS.items():
        assert is_checked(page, field_id) is (kind in kept), kind

    client.submit("/settings/event-mail", choices(*EventMailKind))
    assert opted_out(app, logged_in.id) == set()


def test_saving_twice_the_same_choices_is_harmless(app, client, logged_in):
    client.submit("/settings/event-mail", choices(EventMailKind.REMINDERS))
    client.submit("/settings/event-mail", choices(EventMailKind.REMINDERS))
    assert EventMailKind.REMINDERS not in opted_out(app, logged_in.id)
    assert len(opted_out(app, logged_in.id)) == len(EventMailKind) - 1


def test_htmx_gets_the_section_back_in_place(app, client, logged_in):
    response = client.submit("/settings/event-mail", choices(), htmx=True)

    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<form id="event-mail-form"')
    assert "<html" not in html
    assert not any(is_checked(html, field_id) for field_id in KIND_IDS.values())
    assert "Your event email choices are saved." in html  # the flash, out of band
    assert opted_out(app, logged_in.id) == set(EventMailKind)


@pytest.mark.parametrize(
    ("url", "form_id"),
    [("/settings/event-mail", "event-mail-form"), ("/settings/calendar-feed", "calendar-form")],
)
def test_each_section_is_a_page_and_a_fragment(client, logged_in, url, form_id):
    page = client.get(url)
    assert page.status_code == 200
    assert "<html" in page.text and f'id="{form_id}"' in page.text
    fragment = client.fragment(url)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and f'id="{form_id}"' in fragment.text


def test_with_the_profile_switch_off_the_section_says_nothing_is_sent(app, client, logged_in):
    with app.app_context():
        from webapp.accounts.models import User

        db.session.get(User, logged_in.id).email_notifications = False
        db.session.commit()
    page = client.get("/settings").text
    assert "none of these emails are sent until you turn it back on" in page


@pytest.mark.parametrize("url", ROUTES)
def test_a_post_without_csrf_is_refused(app, client, logged_in, url):
    assert client.submit(url, choices(), csrf=False).status_code == 400
    assert opted_out(app, logged_in.id) == set()


def test_the_database_refuses_an_unknown_kind(app, member):
    with app.app_context():
        with pytest.raises(sa.exc.StatementError):
            db.session.add(EventMailOptOut(user_id=member.id, kind="spam"))
            db.session.flush()
        db.session.rollback()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(
                sa.text(
                    "INSERT INTO event_mail_opt_outs (user_id, kind, created_at) "
                    "VALUES (:id, 'spam', CURRENT_TIMESTAMP)"
                ),
                {"id": member.id},
            )
        db.session.rollback()
