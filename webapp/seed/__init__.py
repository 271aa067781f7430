"""`flask seed --scale N`: a full, made-up instance for benchmarks and for trying pages out.

Fast (bulk inserts: COPY on PostgreSQL, Core executemany elsewhere) and deterministic
(fixed random seeds and fixed dates, so two runs give identical rows). Each family of
tables has one function in FAMILIES; a later feature (events, RSVPs, polls...) appends
its own, reading what earlier families left on the Seed (user and group ids, sizes).

Every seeded user shares one precomputed password hash: SEED_PASSWORD logs in as anyone.
"""

import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from webapp import live
from webapp.extensions import db

# Documented in docs/benchmarks.md ("Seeded data"): the password of made-up accounts only.
SEED_PASSWORD = "Hearth-Seed-2026!"  # noqa: S105  # nosec B105
# werkzeug scrypt hash of SEED_PASSWORD, made once: hashing per user would take minutes.
SEED_PASSWORD_HASH = (  # the hash of the documented password above
    "scrypt:32768:8:1$7xMicgnYA7IwB45L$5042dffb55d8b378b071bdef5ff0c12517ce1ed89ab47f0afb86"  # noqa: S105  # nosec B105
    "1374cccfa52df729ba2492f317d9c6f8f06aafe5be892e31dd43b5e89717c4f70ffa32a5a371"
)
SEED_EMAIL_DOMAIN = "seed.example.org"
# Dates are fixed so runs are identical; everything happened before this moment.
ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)

# Per unit of scale. The big group has 30,000 members at scale 1 (so there are more users
# than the 10,000 the issue names: 32,000, of whom 2,000 are outside the big group).
USERS = 32_000
GROUPS = 1_000
BIG_GROUP_MEMBERS = 30_000
MID_GROUP_MEMBERS = 3_000
SMALL_GROUP_MEMBERS = 30  # not scaled: a small group stays small

# Fixtures the benchmark (and a person trying the app) can rely on.
OWNER_EMAIL = f"seed-1@{SEED_EMAIL_DOMAIN}"  # owns the big and the mid-sized group
BIG_GROUP_SLUG = "commons"
MID_GROUP_SLUG = "neighbours"
SMALL_GROUP_SLUG = "tuesday-knitters"
SEARCH_TERM = "chess"


def seed_email(number):
    return f"seed-{number}@{SEED_EMAIL_DOMAIN}"


@dataclass
class Seed:
    """What one run knows: its scale, its connection, and the ids earlier families made."""

    scale: float
    connection: sa.Connection
    counts: dict = field(default_factory=dict)
    user_ids: list = field(default_factory=list)
    # One dict per group: id, owner_id, created_at, join_policy, member_ids.
    groups: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    # One dict per event, as written (id, group_id, status, starts_at, ends_at, time_zone...).
    events: list = field(default_factory=list)

    def rng(self, family):
        """A generator of its own per family: adding a family changes no other's rows."""
        # Made-up data, the same on every run: not a secret.
        return random.Random(f"hearth-seed:{family}")  # nosec B311

    def active_members(self):
        """{group id: [user ids]} of the members who may take part, in membership order."""
        members = defaultdict(list)
        for membership in self.memberships:
            if membership["status"] == "active":
                members[membership["group_id"]].append(membership["user_id"])
        return members

    def size(self, per_scale, minimum=1):
        return max(minimum, round(per_scale * self.scale))

    def next_id(self, table):
        """The first free id: 1 in an empty database, after existing rows with --force."""
        return (self.connection.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1

    def insert(self, table, rows):
        bulk_insert(self.connection, table, rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)


def bulk_insert(connection, table, rows):
    """rows (dicts with every column, ids included) into table in one go."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        columns = list(rows[0])
        raw = connection.connection.driver_connection
        names = ", ".join(columns)
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                # COPY takes text: a JSON column's value goes as its JSON text.
                copy.write_row([_copyable(row[column]) for column in columns])
    else:
        connection.execute(table.insert(), rows)


def _copyable(value):
    return json.dumps(value) if isinstance(value, dict | list) else value


def ago(days, seconds=0):
    return ANCHOR - timedelta(days=days, seconds=seconds)


class SeedRefused(Exception):
    """The database is not one to seed (real users, or seeded already)."""


def check_target(connection, force):
    users = db.metadata.tables["users"]
    seeded = connection.scalar(
        sa.select(sa.func.count()).where(users.c.email_normalized.like(f"%@{SEED_EMAIL_DOMAIN}"))
    )
    if seeded:
        raise SeedRefused("This database is seeded already; seed a fresh one.")
    real = connection.scalar(sa.select(sa.func.count()).select_from(users))
    if real and not force:
        raise SeedRefused(
            f"This database has {real} real user(s). Seed a scratch database, "
            "or pass --force to add made-up data beside them."
        )


def fix_sequences(connection, tables):
    """PostgreSQL sequences past the ids written explicitly, never back: an id handed out
    before (to rows deleted since, or kept aside to be restored) is not handed out again,
    and neither is one a sequence was set past without handing it out yet."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        sequence = sa.func.pg_get_serial_sequence(table, "id")
        highest = connection.scalar(
            sa.select(sa.func.max(sa.column("id"))).select_from(sa.table(table))
        )
        # nextval is the first id not handed out, whether or not the sequence has handed
        # any out since it was last set (its last value is the next id only then).
        connection.execute(
            sa.select(
                sa.func.setval(
                    sequence, sa.func.greatest(sa.func.nextval(sequence), (highest or 0) + 1), False
                )
            )
        )


# Tables PostgreSQL's triggers write when a seeded table is written: settled with it.
WRITTEN_ALONG = {"events": ("event_week_counts",)}
# A table VACUUM left with no page all-visible is vacuumed again, a moment later.
SETTLE_ATTEMPTS, SETTLE_PAUSE = 10, 0.2


def settle(tables):
    """PostgreSQL: VACUUM (ANALYZE) the tables written, as autovacuum soon would.

    Fresh from a bulk load, no page is marked all-visible, so every index-only scan still
    reads the table, until autovacuum comes by, perhaps halfway through a benchmark. An
    instance in use is in the settled state; this measures that one. Outside a
    transaction, as VACUUM must be.
    """
    if db.engine.dialect.name != "postgresql":
        return
    along = [written for table in tables for written in WRITTEN_ALONG.get(table, ())]
    # VACUUM marks no page all-visible until the commits of its rows are on disk, and a
    # database may commit without waiting for that (synchronous_commit off, as the tests'
    # does): one commit that waits flushes the log up to it, the earlier ones with it. It
    # must write to the log to wait at all: a temporary table, gone at its commit.
    with db.engine.begin() as connection:
        connection.execute(sa.text("SET LOCAL synchronous_commit TO on"))
        connection.execute(sa.text("CREATE TEMPORARY TABLE settle_flush (x int) ON COMMIT DROP"))
    pending = [*tables, *along]
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for attempt in range(SETTLE_ATTEMPTS):
            if attempt:
                # Another transaction's snapshot (autovacuum's ANALYZE of another table,
                # say) kept these rows from counting as seen by all: it is soon over.
                time.sleep(SETTLE_PAUSE)
            for table in pending:
                # Our own table names: VACUUM takes no bound parameters.
                # nosemgrep: sql-from-a-string
                connection.execute(sa.text(f'VACUUM (ANALYZE) "{table}"'))  # nosec B608
            pending = connection.scalars(
                sa.text(
                    "SELECT relname FROM pg_class WHERE relname = ANY(:names)"
                    " AND relpages > 0 AND relallvisible = 0"
                ),
                {"names": pending},
            ).all()
            if not pending:
                return


def seed_database(scale, force=False):
    """Fill the app's database at scale; returns rows written per table."""
    from webapp.seed.families import FAMILIES

    connection = db.session.connection()
    check_target(connection, force)
    seed = Seed(scale=scale, connection=connection)
    for family in FAMILIES:
        family(seed)
    # Tables keyed by something else (a slug, an event) have no sequence to move.
    with_ids = [name for name in seed.counts if "id" in db.metadata.tables[name].c]
    fix_sequences(connection, with_ids)
    db.session.commit()
    # The seeded rows' live versions start at 0: a topic Redis still holds from the
    # database before would name other rows, and, ahead of them, never be published over.
    live.forget_all_topics()
    settle(seed.counts)
    return seed.counts
