"""The group's history reads each row as one sentence of the page's language: a
translation puts the person and what they acted on where its grammar wants them."""

import pytest
from flask_babel import force_locale

from tests.accounts.factories import make_user
from tests.groups.factories import make_group
from tests.support.auth import login_data
from webapp.web.languages import LANGUAGE_COOKIE
from webapp.web.translating import gettext


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_join_reads_as_one_sentence(app, client, language):
    with app.app_context():
        owner = make_user(email="olga@example.org")
        make_user(email="ana@example.org", first_name="Ana", last_name="Ruiz")
        slug = make_group(owner, name="Rowers").slug
    joiner = app.test_client()
    assert joiner.submit("/login", login_data("ana@example.org")).status_code == 303
    assert joiner.submit(f"/groups/{slug}/join").status_code == 303
    with app.test_request_context("/"), force_locale(language):
        sentence = gettext("%(actor)s joined", actor="Ana Ruiz")

    client.set_cookie(LANGUAGE_COOKIE, language)
    assert client.submit("/login", login_data("olga@example.org")).status_code == 303
    page = client.get(f"/groups/{slug}/manage/history").get_data(as_text=True)

    assert sentence in page
    assert (sentence == "Ana Ruiz joined") == (language == "en")
