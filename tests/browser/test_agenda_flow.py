"""An organiser builds an event's agenda in place: two sessions, each with a speaker, one
edited where it stands (a clash in its room refused beside the field first), a third
added and deleted through the confirmation dialog; a member then reads the agenda. Every
state visited passes axe-core and reflows at 320 px.

With HEARTH_SCREENSHOTS=<folder>, the agenda is also photographed there, to look at.
"""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_page, watch_console
from tests.browser.test_first_visit_flow import log_in
from tests.browser.test_screenshots import shoot
from tests.events.agenda.factories import make_weekend
from tests.groups.factories import add_member, make_group
from webapp.events.agenda.models import AgendaSession
from webapp.extensions import db

pytestmark = pytest.mark.browser


def add_session(page, title, starts, ends, room):
    opener = page.locator("details.agenda-add")
    if not opener.evaluate("details => details.open"):
        opener.get_by_text("Add a session").click()
    form = page.locator("#new-session")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Starts").fill(starts)
    form.get_by_label("Ends").fill(ends)
    form.get_by_label("Room (optional)").fill(room)
    form.get_by_role("button", name="Add the session").click()
    expect(page.get_by_text(f"“{title}” is on the agenda.")).to_be_visible()


def add_speaker(page, session_title, name, bio):
    row = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=session_title, exact=True)
    )
    row.get_by_text(f"Add a speaker to {session_title}").click()
    row.get_by_label("Name").fill(name)
    row.get_by_label("Short bio (optional)").fill(bio)
    row.get_by_role("button", name="Add the speaker").click()
    expect(page.get_by_text(f"{name} is a speaker of “{session_title}”.")).to_be_visible()
    return row


def test_an_organiser_builds_the_agenda_and_a_member_reads_it(
    app, page, browser, live_server, console_errors
):
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", time_zone="Europe/Berlin")
        group = make_group(olu, name="Night Makers")
        add_member(group, make_user(email="mira@example.org", first_name="Mira"))
        event = make_weekend(group, title="Maker weekend")
        event_path = f"/events/{event.id}-maker-weekend"
    shots = os.environ.get("HEARTH_SCREENSHOTS")

    log_in(page, "olu@example.org")
    page.goto(event_path)
    agenda = page.locator("#agenda")
    expect(agenda.get_by_text("No sessions yet.")).to_be_visible()
    check_page(page)

    agenda.get_by_text("Add a session").click()
    # The form suggests the event's first hour.
    expect(page.locator("#new-session").get_by_label("Starts")).to_have_value("2030-03-30T09:00")
    check_page(page)
    add_session(page, "Opening keynote", "2030-03-30T10:00", "2030-03-30T11:00", "Main hall")
    keynote = add_speaker(page, "Opening keynote", "Ada Byron", "Wrote the first program.")
    expect(keynote.get_by_text("Wrote the first program.")).to_be_visible()
    # The form stayed open, suggesting the hour after the keynote.
    expect(page.locator("#new-session").get_by_label("Starts")).to_have_value("2030-03-30T11:00")
    add_session(page, "Soldering 101", "2030-03-31T14:00", "2030-03-31T15:30", "Lab")
    add_speaker(page, "Soldering 101", "Grace Hopper", "Debugged the Mark II.")
    expect(agenda.get_by_role("heading", name="Saturday 30 March 2030")).to_be_visible()
    expect(agenda.get_by_role("heading", name="Sunday 31 March 2030")).to_be_visible()
    check_page(page)

    # Edit in place: the row becomes its form; a clash comes back beside the room.
    soldering = page.locator("#agenda li.agenda-session").nth(1)
    soldering.get_by_role("button", name="Edit Soldering 101").click()
    editor = page.locator("li.is-editing")
    expect(editor.get_by_label("Title")).to_have_value("Soldering 101")
    check_page(page)
    editor.get_by_label("Title").fill("Soldering for beginners")
    editor.get_by_label("Starts").fill("2030-03-30T10:30")
    editor.get_by_label("Ends").fill("2030-03-30T11:30")
    editor.get_by_label("Room (optional)").fill("main hall")
    editor.get_by_role("button", name="Save the session").click()
    expect(editor.get_by_text("Main hall is taken then by “Opening keynote”")).to_be_visible()
    expect(editor.get_by_label("Room (optional)")).to_be_focused()
    check_page(page)
    editor.get_by_label("Room (optional)").fill("Lab")
    editor.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("“Soldering for beginners” is saved.")).to_be_visible()
    expect(page.locator("li.is-editing")).to_have_count(0)
    expect(agenda.get_by_role("heading", name="Soldering for beginners")).to_be_visible()
    expect(agenda.get_by_text("Debugged the Mark II.")).to_be_visible()
    check_page(page)

    # Delete asks first, in a dialog; the agenda comes back without the session.
    add_session(page, "Raffle", "2030-03-31T16:00", "2030-03-31T16:30", "")
    page.get_by_role("button", name="Delete Raffle").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Delete “Raffle”?")).to_be_visible()
    check_page(page)
    dialog.get_by_role("button", name="Delete the session").click()
    expect(page.get_by_text("“Raffle” is off the agenda.")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(agenda.get_by_role("heading", name="Raffle")).to_have_count(0)
    if shots:
        shoot(page, Path(shots), "agenda-organiser", "light", 1280)
        shoot(page, Path(shots), "agenda-organiser", "light", 320)
    # The pages Edit and Delete open without JavaScript (axe needs it, so it looks here).
    row = page.locator("#agenda li.agenda-session").first
    edit_page = row.locator("a", has_text="Edit").get_attribute("href")
    delete_page = row.locator("form[method=get]").get_attribute("action")
    page.goto(edit_page)
    expect(page.get_by_role("heading", name="Edit “Opening keynote”")).to_be_visible()
    check_page(page)
    page.goto(delete_page)
    expect(page.get_by_role("heading", name="Delete “Opening keynote”?")).to_be_visible()
    check_page(page)

    mira_context = browser.new_context(base_url=live_server)
    mira = mira_context.new_page()
    mira_errors = watch_console(mira, [])
    log_in(mira, "mira@example.org")
    mira.goto(event_path)
    programme = mira.locator("#agenda")
    expect(programme.get_by_role("heading", name="Opening keynote")).to_be_visible()
    expect(programme.get_by_role("heading", name="Soldering for beginners")).to_be_visible()
    expect(programme.get_by_text("Ada Byron")).to_be_visible()
    expect(programme.get_by_text("Debugged the Mark II.")).to_be_visible()
    expect(programme.get_by_text("Main hall")).to_be_visible()
    expect(programme.get_by_role("button", name="Edit", exact=False)).to_have_count(0)
    expect(programme.get_by_text("Add a session")).to_have_count(0)
    check_page(mira)
    if shots:
        shoot(mira, Path(shots), "agenda-member", "dark", 1280)
        shoot(mira, Path(shots), "agenda-member", "light", 320)
    mira_context.close()

    assert console_errors == []
    assert mira_errors == []


def test_without_javascript_every_agenda_action_is_a_plain_form(app, browser, live_server):
    with app.app_context():
        olu = make_user(email="olu.nojs@example.org", first_name="Olu")
        event = make_weekend(make_group(olu), title="Maker weekend")
        event_path = f"/events/{event.id}-maker-weekend"
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "olu.nojs@example.org")
    page.goto(event_path)

    page.locator("details.agenda-add").get_by_text("Add a session").click()
    page.get_by_role("link", name="Open the form for a new session").click()
    expect(page.get_by_role("heading", name="Add a session")).to_be_visible()
    form = page.locator("#new-session")
    form.get_by_label("Title").fill("Opening keynote")
    form.get_by_label("Room (optional)").fill("Main hall")
    form.get_by_role("button", name="Add the session").click()
    expect(page.get_by_text("“Opening keynote” is on the agenda.")).to_be_visible()
    assert f"{event_path}#session-" in page.url

    add_speaker(page, "Opening keynote", "Ada Byron", "Wrote the first program.")

    page.get_by_role("button", name="Edit Opening keynote").click()
    expect(page.get_by_role("heading", name="Edit “Opening keynote”")).to_be_visible()
    page.get_by_label("Title").fill("Keynote")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("“Keynote” is saved.")).to_be_visible()
    expect(page.locator("#agenda").get_by_role("heading", name="Keynote")).to_be_visible()

    page.get_by_role("button", name="Delete Keynote").click()
    expect(page.get_by_role("heading", name="Delete “Keynote”?")).to_be_visible()
    page.get_by_role("button", name="Delete the session").click()
    expect(page.get_by_text("“Keynote” is off the agenda.")).to_be_visible()
    expect(page.locator("#agenda").get_by_text("No sessions yet.")).to_be_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_add_a_session_and_delete_pages_of_their_own_work_once(
    app, browser, live_server, javascript
):
    """The pages that open without JavaScript (or from a link in a new tab) have no agenda
    to swap: with JavaScript on as off, one click adds one session and lands on the event
    with its message, and the delete page's button takes the session off."""
    with app.app_context():
        olu = make_user(email="olu.alone@example.org", first_name="Olu")
        group = make_group(olu, name="Bench Makers")
        make_weekend(group, title="Other weekend")
        event = make_weekend(group, title="Bench weekend")
        event_id = event.id
    context = browser.new_context(base_url=live_server, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, "olu.alone@example.org")

    page.goto(f"/events/{event_id}/agenda/sessions/new")
    form = page.locator("#new-session")
    form.get_by_label("Title").fill("Planing by hand")
    form.get_by_label("Starts").fill("2030-03-30T10:00")
    form.get_by_label("Ends").fill("2030-03-30T11:00")
    form.get_by_role("button", name="Add the session").click()

    expect(page.get_by_text("“Planing by hand” is on the agenda.")).to_be_visible()
    expect(page.get_by_role("heading", name="Bench weekend", level=1)).to_be_visible()
    expect(page.locator("#agenda").get_by_role("heading", name="Planing by hand")).to_have_count(1)
    with app.app_context():
        sessions = db.session.scalars(
            sa.select(AgendaSession).where(AgendaSession.event_id == event_id)
        ).all()
        assert [item.title for item in sessions] == ["Planing by hand"]
        session_id = sessions[0].id

    page.goto(f"/events/{event_id}/agenda/sessions/{session_id}/delete")
    page.get_by_role("button", name="Delete the session").click()
    expect(page.get_by_text("“Planing by hand” is off the agenda.")).to_be_visible()
    expect(page.locator("#agenda").get_by_text("No sessions yet.")).to_be_visible()
    context.close()
