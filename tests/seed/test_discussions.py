"""Seeded talk: the big event's long thread, its counts as the rules keep them, and its
pages open with the first page of it, its pinned comment on top."""

import pytest
import sqlalchemy as sa

from tests.seed.test_seed import SCALE
from webapp.discussions.models import Comment, Discussion
from webapp.discussions.queries import PER_PAGE
from webapp.events.models import Event
from webapp.extensions import db
from webapp.seed import OWNER_EMAIL, SEED_PASSWORD
from webapp.seed.discussions import BIG_EVENT_COMMENTS
from webapp.seed.events import BIG_EVENT_ID


@pytest.fixture
def seeded(app):
    result = app.test_cli_runner().invoke(args=["seed", "--scale", SCALE])
    assert result.exit_code == 0, result.output


def test_the_big_event_has_a_long_thread_counted_as_the_rules_count(app, seeded):
    with app.app_context():
        assert db.session.get(Event, BIG_EVENT_ID).has_comments
        discussion = db.session.scalar(
            sa.select(Discussion).where(Discussion.event_id == BIG_EVENT_ID)
        )
        rows = db.session.scalars(
            sa.select(Comment).where(Comment.discussion_id == discussion.id)
        ).all()
        assert len(rows) == BIG_EVENT_COMMENTS
        assert discussion.comment_count == sum(1 for row in rows if row.is_shown)
        assert discussion.last_comment_id == max(row.id for row in rows)
        parents = {row.id: row for row in rows}
        # Replies answer first-level comments written before them.
        for row in rows:
            if row.parent_id is not None:
                assert parents[row.parent_id].parent_id is None
                assert row.parent_id < row.id
        assert sum(1 for row in rows if row.is_hidden) >= 1


def test_the_big_events_page_shows_a_page_of_its_thread(app, seeded):
    owner = app.test_client()
    assert (
        owner.submit("/login", {"email": OWNER_EMAIL, "password": SEED_PASSWORD}).status_code == 303
    )
    page = owner.get(f"/events/{BIG_EVENT_ID}/comments").get_data(as_text=True)
    assert "Older comments" in page and 'class="comment is-pinned"' in page
    assert page.count('class="comment') >= PER_PAGE
