"""Unsubscribing from the email itself, in Chromium. Ann says she is going to a picnic and
gets a confirmation; she opens its "Unsubscribe from these emails" link without logging
in, sees which emails it stops and a button, presses it, and is told it is done and where
to turn them back on. Opening the page alone changed nothing. Both pages pass axe-core,
light and dark, and reflow at 320 px."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.events.mail.support import answer, make_party
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.events.rsvp.models import Answer
from webapp.extensions import db

pytestmark = pytest.mark.browser


def opted_out(app, user_id):
    with app.app_context():
        return set(
            db.session.scalars(
                sa.select(EventMailOptOut.kind).where(EventMailOptOut.user_id == user_id)
            )
        )


def test_unsubscribing_from_the_footer_link_of_a_confirmation(app, page, mailbox):
    party = make_party(app)
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    text = mailbox.text(mailbox.last(party.ann_email))
    link = re.search(r"Unsubscribe from these emails: (\S+)", text).group(1)

    page.goto(link)
    heading = "Unsubscribe from confirmations of your answers"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    check_page(page)
    assert opted_out(app, party.ann_id) == set()

    page.get_by_role("button", name="Unsubscribe").click()

    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    check_page(page)
    assert opted_out(app, party.ann_id) == {EventMailKind.CONFIRMATION}
    page.get_by_role("link", name="your settings").click()
    expect(page).to_have_url(re.compile(r"/login"))
