"""Counts as a language writes them: grouped digits and its decimal sign, in pages and in
messages made at import time; below a thousand, as they are."""

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.accounts.factories import make_user
from tests.groups.factories import make_group
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.web.languages import LANGUAGE_COOKIE
from webapp.web.numbers import lazy_number, number_text
from webapp.web.translating import lazy_gettext


@pytest.mark.parametrize(
    ("language", "value", "written"),
    [
        ("en", 999, "999"),
        ("en", 30000, "30,000"),
        ("es", 1000, "1.000"),
        ("es", 30000, "30.000"),
        ("es", 4.5, "4,5"),
        ("en", -1200, "-1,200"),
    ],
)
def test_a_number_is_written_as_the_language_writes_it(app, language, value, written):
    with app.test_request_context("/"), force_locale(language):
        assert number_text(value) == written


def test_a_number_in_a_message_made_at_import_time_follows_the_page(app):
    message = lazy_gettext("At most %(most)s people.", most=lazy_number(100000))
    with app.test_request_context("/"):
        with force_locale("en"):
            assert str(message) == "At most 100,000 people."
        with force_locale("es"):
            assert "100.000" in str(message)


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "30,000</strong> members"), ("es", "30.000")]
)
def test_a_big_groups_count_reads_as_its_language_writes_it(app, client, language, shown):
    with app.app_context():
        group = make_group(make_user(), name="Big Choir")
        db.session.execute(sa.update(Group).where(Group.id == group.id).values(member_count=30000))
        db.session.commit()
        slug = group.slug
    client.set_cookie(LANGUAGE_COOKIE, language)

    page = client.get(f"/groups/{slug}").get_data(as_text=True)

    assert shown in page
    assert "30000" not in page
