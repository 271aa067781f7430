"""Seeded tasks and feedback: open, taken and done tasks on published events; feedback
only from people who were going, on events that had ended, one each; and the pages
showing them open."""

import pytest
import sqlalchemy as sa

from tests.seed.test_seed import SCALE
from webapp.extensions import db

tasks = db.metadata.tables["tasks"]
feedback = db.metadata.tables["event_feedback"]
rsvps = db.metadata.tables["rsvps"]
events = db.metadata.tables["events"]


@pytest.fixture
def seeded(app):
    result = app.test_cli_runner().invoke(args=["seed", "--scale", SCALE])
    assert result.exit_code == 0, result.output


def test_seeded_tasks_are_open_taken_and_done_on_published_events(seeded, app_context):
    rows = db.session.execute(
        sa.select(tasks.c.assignee_id, tasks.c.done_at, events.c.status).join(
            events, events.c.id == tasks.c.event_id
        )
    ).all()
    assert rows
    assert {status for _, _, status in rows} == {"published"}
    assert any(assignee is None for assignee, _, _ in rows)
    assert any(assignee and done is None for assignee, done, _ in rows)
    assert any(done is not None for _, done, _ in rows)


def test_seeded_feedback_comes_from_people_who_went_to_ended_events(seeded, app_context):
    rows = db.session.execute(
        sa.select(feedback.c.rating, rsvps.c.answer, events.c.ends_at, feedback.c.created_at)
        .join(events, events.c.id == feedback.c.event_id)
        .outerjoin(
            rsvps,
            sa.and_(rsvps.c.event_id == feedback.c.event_id, rsvps.c.user_id == feedback.c.user_id),
        )
    ).all()
    assert rows
    for rating, answer, ends_at, created_at in rows:
        assert 1 <= rating <= 5 and answer == "going"
        assert created_at >= ends_at


def test_a_seeded_events_tasks_and_feedback_pages_open(seeded, app, client):
    groups = db.metadata.tables["groups"]

    def public_event_of(table):
        return db.session.scalar(
            sa.select(table.c.event_id)
            .join(events, events.c.id == table.c.event_id)
            .join(groups, groups.c.id == events.c.group_id)
            .where(groups.c.visibility == "public")
            .limit(1)
        )

    with app.app_context():
        task_event, feedback_event = public_event_of(tasks), public_event_of(feedback)
    assert client.get(f"/events/{task_event}/tasks").status_code == 200
    assert client.get(f"/events/{feedback_event}/feedback").status_code == 200
