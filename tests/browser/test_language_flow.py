"""Switching to Spanish as a person does: a visitor from the footer, a member in Settings;
each page passes axe and reflows, in Spanish."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_page
from tests.browser.test_first_visit_flow import log_in

pytestmark = pytest.mark.browser


def test_a_visitor_switches_to_spanish_from_the_footer(page):
    page.goto("/groups")
    page.get_by_role("contentinfo").get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", name="Language")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Español").click()

    expect(page).to_have_url(re.compile(r"/groups$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("navigation", name="Principal")).to_be_visible()
    check_page(page)
    # With a session now, the footer holds the buttons itself, and goes back to English.
    page.get_by_role("contentinfo").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/groups$"))


def test_a_member_chooses_spanish_in_settings(app, page):
    with app.app_context():
        make_user(email="lucia@example.org", first_name="Lucía")
    log_in(page, "lucia@example.org")
    page.goto("/settings")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_label("Idioma")).to_have_value("es")
    check_page(page)
