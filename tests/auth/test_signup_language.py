"""A new account keeps the language it signed up in: a visitor browsing in Spanish has no
setting yet, so the sign-up stores the request's language, and the verification email
(the first mail Hearth sends them) is rendered in it. The Spanish catalogue does not hold
these strings yet: the tests read the stored language and the language the mail was
rendered in, not its prose."""

import pytest
import sqlalchemy as sa
from flask_babel import get_locale

from tests.support.auth import find_user, signup_data
from webapp.extensions import db
from webapp.outbox import mail
from webapp.outbox.models import OutboxMessage


@pytest.fixture
def rendered_in(monkeypatch):
    """(template, language) of each message rendered during the test."""
    rendered = []
    render_bodies = mail.render_bodies

    def recording(template, **context):
        rendered.append((template, str(get_locale())))
        return render_bodies(template, **context)

    monkeypatch.setattr(mail, "render_bodies", recording)
    return rendered


@pytest.mark.parametrize(
    "browser, language", [("es", "es"), ("en", "en"), ("es-MX,es;q=0.9", "es")]
)
def test_signup_stores_the_language_it_was_made_in_and_mails_in_it(
    app, client, rendered_in, browser, language
):
    response = client.submit("/signup", signup_data(), headers={"Accept-Language": browser})

    assert response.status_code == 303
    assert find_user(app, "ann@example.org").language == language
    assert rendered_in == [("verify_email", language)]
    with app.app_context():
        kinds = db.session.scalars(
            sa.select(OutboxMessage.kind).where(OutboxMessage.recipient == "ann@example.org")
        ).all()
    assert kinds == ["verify_email"]
