"""Events and answers for tests, made straight in the database."""

import itertools
from datetime import timedelta

import sqlalchemy as sa
from slugify import slugify

from tests.groups.factories import loaded
from webapp.database.times import utcnow
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.services import publish_panel_version
from webapp.extensions import db
from webapp.seed import settle
from webapp.web.markdown import render_markdown

_sequence = itertools.count(1)


def make_event(
    group,
    title=None,
    status=EventStatus.PUBLISHED,
    starts_in=timedelta(days=7),
    duration=timedelta(hours=2),
    description="",
    **fields,
):
    """A committed event of `group`, starting `starts_in` from now; call in an app context."""
    title = title or f"Event {next(_sequence)}"
    starts_at = fields.pop("starts_at", None) or utcnow() + starts_in
    event = Event(
        group_id=group.id,
        title=title,
        slug=slugify(title, max_length=60) or "event",
        description=description,
        description_html=str(render_markdown(description)),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", None) or starts_at + duration,
        status=status,
        published_at=utcnow() if status != EventStatus.DRAFT else None,
        **fields,
    )
    db.session.add(event)
    db.session.flush()
    if status == EventStatus.PUBLISHED:
        # As publishing does: its RSVP panel's live part knows its version from the start.
        publish_panel_version(event)
    db.session.commit()
    loaded(event)
    return event


def insert_events(group_id, count, title, description, apart, past, status="'published'"):
    """count events of the group in one INSERT, on PostgreSQL, then VACUUM ANALYZE as
    autovacuum leaves a table: its pages marked all-visible (an index-only walk needs no
    event row) and its statistics current (how common a searched word is).

    title, description, status: SQL of n (1..count); apart: an interval between starts
    ("40 minutes"), the first `past` of them started before now. The arguments are the
    tests' own SQL, never outside input.
    """
    start = f"now() + (n - {int(past)}) * interval '{apart}'"
    db.session.execute(
        sa.text(
            "INSERT INTO events (group_id, title, slug, description, description_html,"  # noqa: S608
            " venue, address, online_url, starts_at, ends_at, time_zone, status,"
            " created_at, updated_at)"
            f" SELECT :group, {title}, 'event', {description}, '', '', '', '', {start},"
            f" {start} + interval '2 hours', 'UTC', {status}, now(), now()"
            f" FROM generate_series(1, {int(count)}) AS n"
        ),
        {"group": group_id},
    )
    db.session.commit()
    # As the seeder settles it: with the tables its triggers write along.
    settle(["events"])
