"""Seeded talk: the big event's comments, BIG_EVENT_COMMENTS of them (one in five a reply
to an earlier first-level comment, one pinned, a few hidden or removed), written by its
group's members, so its page and its comments' pages are measured with a long thread."""

from datetime import timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.live import first_version
from webapp.seed import ANCHOR, BIG_GROUP_SLUG
from webapp.seed.events import BIG_EVENT_ID
from webapp.web.markdown import render_markdown

BIG_EVENT_COMMENTS = 500  # not scaled: a long thread is long at any scale
LINES = (
    "Is there parking nearby?",
    "I can bring a **folding table**.",
    "Who is driving from the station?",
    "See the [map](https://example.org/map) for the entrance.",
    "Count me in for the setting up.",
    "Is it step-free?",
    "Lovely, thank you for organising!",
)


def _table(name):
    return db.metadata.tables[name]


def _comment_rows(rng, group, discussion_id, first_comment, authors):
    """The thread's comments, oldest first, ids from first_comment on."""
    rendered = {line: str(render_markdown(line)) for line in LINES}
    rows, first_level = [], []
    for number in range(BIG_EVENT_COMMENTS):
        comment_id = first_comment + number
        written = ANCHOR - timedelta(minutes=(BIG_EVENT_COMMENTS - number) * 17)
        # The draws in this order (parent, line, author): the seed gives the same rows.
        parent = rng.choice(first_level) if first_level and number % 5 == 4 else None
        line = rng.choice(LINES)
        removed = number % 97 == 50
        hidden = number % 89 == 30
        rows.append(
            {
                "id": comment_id,
                "discussion_id": discussion_id,
                "parent_id": parent,
                "author_id": rng.choice(authors),
                "body": "" if removed else line,
                "body_html": "" if removed else rendered[line],
                "created_at": written,
                "edited_at": None,
                "removed_at": written if removed else None,
                "hidden_at": written if hidden else None,
                "hidden_by_id": group["members"][0] if hidden else None,
                "pinned_at": written if number == 3 else None,
            }
        )
        if parent is None:
            first_level.append(comment_id)
    return rows


def _thread_row(discussion_id, group, rows):
    """The event's thread, its counters and last comment as the comments make them."""
    shown = sum(1 for row in rows if row["removed_at"] is None and row["hidden_at"] is None)
    return {
        "id": discussion_id,
        "group_id": group["id"],
        "event_id": BIG_EVENT_ID,
        "title": None,
        "started_by_id": rows[0]["author_id"],
        "created_at": rows[0]["created_at"],
        "last_comment_at": rows[-1]["created_at"],
        "last_comment_id": rows[-1]["id"],
        "comment_count": shown,
        # From the clock, as the app starts a thread's: a version names one state
        # of the thread (webapp.discussions.queries keeps pages by it).
        "version": first_version(),
        "pinned_at": None,
        "locked_at": None,
        "hidden_at": None,
    }


def discussions(seed):
    """The big event's thread and its comments (the event marked as having comments)."""
    rng = seed.rng("discussions")
    group = next(g for g in seed.groups if g["slug"] == BIG_GROUP_SLUG)
    authors = seed.active_members()[group["id"]][:200]
    discussion_id = seed.next_id(_table("discussions"))
    first_comment = seed.next_id(_table("comments"))
    rows = _comment_rows(rng, group, discussion_id, first_comment, authors)
    seed.insert(_table("discussions"), [_thread_row(discussion_id, group, rows)])
    seed.insert(_table("comments"), rows)
    seed.connection.execute(
        sa.update(_table("events"))
        .where(_table("events").c.id == BIG_EVENT_ID)
        .values(has_comments=True)
    )
