"""event week counts: how many listed events start in each week, by who may find them

Revision ID: 0022_event_week_counts
Revises: 0021_event_search_by_trigger
Create Date: 2026-11-24 19:00:00

A page of /events typed by its number (page 200 at 10x: 3,980 upcoming events before it)
walked the listing index over every event before the page, about 5,400 entries for a
member (members-only events of other groups are passed too): 0.9 ms of SQL more than
page 1. These counts let the page start at the week its first event is in, and walk from
there (webapp/events/queries.py, _week_anchor).

One row per week and scope: scope 0 counts public events, -1 every listed event (what a
site admin finds), and a group's id its members-only events. A week is a number: whole
weeks of 604,800 seconds since 1970-01-01 UTC (as WEEK_SECONDS in queries.py). An event
counts while it is listed: not deleted, published or cancelled, and not hidden; the
triggers keep the rows as events are written, including when a group's visibility or life
moves its events' listing (0012_event_listing). An update of anything else (an RSVP's
counters) does not run them.

PostgreSQL only: on SQLite every page walks, as before.
"""

from alembic import op

revision = "0022_event_week_counts"
down_revision = "0021_event_search_by_trigger"
branch_labels = None
depends_on = None

# As webapp.events.queries._listed lists an event, and WEEK_SECONDS and its scopes count.
LISTED = (
    "{row}.deleted_at IS NULL AND {row}.status IN ('published', 'cancelled')"
    " AND {row}.listing <> 'hidden'"
)
WEEK = "floor(extract(epoch FROM {row}.starts_at) / 604800)::integer"
SCOPE = "CASE WHEN {row}.listing = 'public' THEN 0 ELSE {row}.group_id END"
# The counts of the listed events among rows (a table, or a trigger's transition table).
COUNTED = (
    "SELECT scope, week, count(*) AS events FROM ("
    f" SELECT {SCOPE.format(row='e')} AS scope, {WEEK.format(row='e')} AS week"
    f" FROM {{rows}} AS e WHERE {LISTED.format(row='e')}"
    f" UNION ALL SELECT -1, {WEEK.format(row='e')} FROM {{rows}} AS e"
    f" WHERE {LISTED.format(row='e')}"
    ") AS listed GROUP BY scope, week"
)

POSTGRES = f"""
CREATE TABLE event_week_counts (
    scope integer NOT NULL,
    week integer NOT NULL,
    events integer NOT NULL,
    -- No check that events stay above zero: PostgreSQL checks the row an INSERT proposes
    -- (a week's -1) before ON CONFLICT adds it to the row that is there.
    -- With the count in the index: a page's weeks are read from it alone.
    CONSTRAINT pk_event_week_counts PRIMARY KEY (scope, week) INCLUDE (events)
);

INSERT INTO event_week_counts (scope, week, events) {COUNTED.format(rows="events")};

-- Rows inserted or deleted, counted by statement: a bulk load (the seeder's COPY) or a
-- group's events deleted with it write each week's rows once, not once an event.
-- Each statement's rows go in the order of the key: two transactions that write the
-- same weeks take their rows' locks in one order, and cannot deadlock.
CREATE FUNCTION events_count_weeks_of_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_week_counts AS counted (scope, week, events)
    SELECT scope, week, CASE WHEN TG_OP = 'DELETE' THEN -events ELSE events END
    FROM ({COUNTED.format(rows="changed_rows")}) AS changes
    ORDER BY scope, week
    ON CONFLICT (scope, week) DO UPDATE SET events = counted.events + excluded.events;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_weeks_counted_on_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_weeks_of_statement();
CREATE TRIGGER events_weeks_counted_on_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_weeks_of_statement();

-- An update, by row: PostgreSQL keeps no transition tables for a trigger on some
-- columns, and on all of them it would run for every RSVP's counters.
CREATE FUNCTION events_count_weeks_of_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_week_counts AS counted (scope, week, events)
    SELECT scope, week, sum(change) FROM (
        SELECT -1 AS scope, {WEEK.format(row="OLD")} AS week, -1 AS change
        WHERE {LISTED.format(row="OLD")}
        UNION ALL SELECT {SCOPE.format(row="OLD")}, {WEEK.format(row="OLD")}, -1
        WHERE {LISTED.format(row="OLD")}
        UNION ALL SELECT -1, {WEEK.format(row="NEW")}, 1
        WHERE {LISTED.format(row="NEW")}
        UNION ALL SELECT {SCOPE.format(row="NEW")}, {WEEK.format(row="NEW")}, 1
        WHERE {LISTED.format(row="NEW")}
    ) AS changes
    GROUP BY scope, week
    HAVING sum(change) <> 0
    ORDER BY scope, week
    ON CONFLICT (scope, week) DO UPDATE SET events = counted.events + excluded.events;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_weeks_counted_on_update
    AFTER UPDATE OF starts_at, status, deleted_at, listing, group_id ON events
    FOR EACH ROW
    WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at
          OR OLD.status IS DISTINCT FROM NEW.status
          OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
          OR OLD.listing IS DISTINCT FROM NEW.listing
          OR OLD.group_id IS DISTINCT FROM NEW.group_id)
    EXECUTE FUNCTION events_count_weeks_of_update();
"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(POSTGRES)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER events_weeks_counted_on_{trigger} ON events")
    op.execute("DROP FUNCTION events_count_weeks_of_statement()")
    op.execute("DROP FUNCTION events_count_weeks_of_update()")
    op.execute("DROP TABLE event_week_counts")
