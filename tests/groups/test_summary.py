"""The plain-text summary on each card of the groups list: made when the description is
saved (and by migration 0009 for groups saved before it), shown as the card showed it."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.accounts.factories import make_user
from tests.groups.factories import make_group
from tests.support.auth import html
from webapp import create_app
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.groups.summary import SUMMARY_LENGTH, summary_of
from webapp.web.markdown import render_markdown

LONG = "We meet every week to play and talk about the games we love. " * 6


def test_the_summary_is_the_description_as_plain_text():
    html_ = str(render_markdown("# Chess & *tea*\n\n- bring a **board**\n- [notes](https://x.org)"))

    assert summary_of(html_) == "Chess & tea bring a board notes"


def test_a_long_description_is_cut_at_a_word_with_an_ellipsis():
    summary = summary_of(str(render_markdown(LONG)))

    assert len(summary) <= SUMMARY_LENGTH
    assert summary.endswith("...")
    assert LONG.startswith(summary.removesuffix("..."))
    assert LONG[len(summary.removesuffix("..."))] == " "


def test_a_short_description_or_none_is_kept_whole():
    assert summary_of("<p>Just right.</p>") == "Just right."
    assert summary_of("") == ""
    assert summary_of(None) == ""


def test_the_card_shows_the_summary_escaped_and_follows_edits(app, client, auth):
    with app.app_context():
        owner = make_user(email="olga@example.org")
        make_group(owner, name="Board Games", slug="board-games", description="Dice <b>& cards")
    auth.login("olga@example.org")

    card = html(client.fragment("/groups?q=board"))
    assert "Dice &amp; cards" in card and "<b>" not in card

    settings = {
        "name": "Board Games",
        "slug": "board-games",
        "description": LONG,
        "visibility": "public",
        "join_policy": "open",
    }
    assert client.submit("/groups/board-games/manage/settings", settings).status_code == 303
    with app.app_context():
        stored = db.session.scalar(sa.select(Group.summary).where(Group.slug == "board-games"))
    assert stored == summary_of(str(render_markdown(LONG)))
    assert stored in html(client.fragment("/groups?q=board"))


def test_the_migration_summarises_groups_saved_before_it(tmp_path):
    """On a scratch SQLite database: a group written at 0008 has its summary after 0009."""
    scratch = create_app(
        {"HEARTH_ENV": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"}
    )
    with scratch.app_context():
        upgrade(revision="0008_event_mail")
        description_html = str(render_markdown(LONG))
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO groups (name, slug, description, description_html, visibility,"
                    " join_policy, created_at) VALUES ('Old', 'old', :markdown, :html, 'public',"
                    " 'open', '2026-01-01 00:00:00')"
                ),
                {"markdown": LONG, "html": description_html},
            )

        upgrade(revision="0009_group_summary")

        with db.engine.connect() as connection:
            summary = connection.scalar(sa.text("SELECT summary FROM groups WHERE slug = 'old'"))
        assert summary == summary_of(description_html)
        downgrade(revision="0008_event_mail")
        db.engine.dispose()
