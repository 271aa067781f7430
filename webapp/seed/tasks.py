"""Seeded tasks and feedback: a few tasks on the first published events (open, taken,
done), and feedback from some of the people who were going to the first events that
have ended. Small on purpose: it adds little to the time a seed takes."""

from datetime import timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.seed import ANCHOR

# Per unit of scale: events given tasks, and ended events given feedback.
EVENTS_WITH_TASKS = 200
EVENTS_WITH_FEEDBACK = 100
FEEDBACK_PER_EVENT = 5
TASK_TITLES = ("Bring chairs", "Cake", "Set up the room", "Tea and coffee", "Tidy up")
COMMENTS = ("", "Lovely, thank you!", "A bit crowded.", "Well organised.", "")


def _table(name):
    return db.metadata.tables[name]


def tasks(seed):
    """Tasks on published events; feedback on ended ones from people who were going."""
    # One random stream for both, tasks first: the same seed gives the same rows.
    rng = seed.rng("tasks")
    published = [e for e in seed.events if e["status"] == "published"]
    _seed_tasks(seed, rng, published)
    _seed_feedback(seed, rng, published)


def _seed_tasks(seed, rng, published):
    """Three tasks on each of the first published events: open, taken, and done."""
    members = seed.active_members()
    task_rows, next_id = [], seed.next_id(_table("tasks"))
    for event in published[: seed.size(EVENTS_WITH_TASKS)]:
        people = members[event["group_id"]]
        for number, title in enumerate(rng.sample(TASK_TITLES, 3)):
            assignee = rng.choice(people) if number and people else None
            task_rows.append(
                {
                    "id": next_id,
                    "event_id": event["id"],
                    "title": title,
                    "notes": "",
                    "due_on": (event["starts_at"] - timedelta(days=1)).date(),
                    "assignee_id": assignee,
                    "done_at": event["created_at"] if number == 2 and assignee else None,
                    "created_by_id": event["created_by_id"],
                    "created_at": event["created_at"],
                }
            )
            next_id += 1
    seed.insert(_table("tasks"), task_rows)


def _seed_feedback(seed, rng, published):
    """Feedback on the first ended events from up to FEEDBACK_PER_EVENT people going."""
    ended = [e for e in published if e["ends_at"] < ANCHOR][: seed.size(EVENTS_WITH_FEEDBACK)]
    rsvps = _table("rsvps")
    going = seed.connection.execute(
        sa.select(rsvps.c.event_id, rsvps.c.user_id)
        .where(rsvps.c.event_id.in_([e["id"] for e in ended]), rsvps.c.answer == "going")
        .order_by(rsvps.c.event_id, rsvps.c.user_id)
    ).all()
    ends = {e["id"]: e["ends_at"] for e in ended}
    given, feedback_rows, next_id = {}, [], seed.next_id(_table("event_feedback"))
    for event_id, user_id in going:
        if given.get(event_id, 0) >= FEEDBACK_PER_EVENT:
            continue
        given[event_id] = given.get(event_id, 0) + 1
        when = ends[event_id] + timedelta(hours=rng.randint(1, 48))
        feedback_rows.append(
            {
                "id": next_id,
                "event_id": event_id,
                "user_id": user_id,
                "rating": rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 3, 6, 5))[0],
                "comment": rng.choice(COMMENTS),
                "created_at": when,
                "updated_at": when,
            }
        )
        next_id += 1
    seed.insert(_table("event_feedback"), feedback_rows)
