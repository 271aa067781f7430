"""`flask seed`: the promised rows, the same rows every run, and never over real users."""

import hashlib
from datetime import UTC, timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from webapp import live
from webapp.database.redis_client import get_redis
from webapp.events.mail.reminders import sweep_due_reminders
from webapp.extensions import db
from webapp.polls.result_mail import sweep_closed_polls
from webapp.seed import (
    ANCHOR,
    BIG_GROUP_SLUG,
    MID_GROUP_SLUG,
    OWNER_EMAIL,
    SEED_PASSWORD,
    SMALL_GROUP_SLUG,
)
from webapp.seed.events import BIG_EVENT_ID, BIG_EVENT_SLUG
from webapp.seed.series import DATES_PER_SERIES

SCALE = "0.01"


@pytest.fixture
def seed(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=["seed", "--scale", SCALE, *args])

    return invoke


def count(app, statement):
    with app.app_context():
        return db.session.scalar(statement)


def rows_in(app, name):
    return count(app, sa.select(sa.func.count()).select_from(db.metadata.tables[name]))


def members_of(app, slug):
    memberships = db.metadata.tables["memberships"]
    groups = db.metadata.tables["groups"]
    return count(
        app,
        sa.select(sa.func.count())
        .select_from(memberships.join(groups))
        .where(groups.c.slug == slug, memberships.c.status == "active"),
    )


def fingerprint(app):
    """A digest of every seeded row, ids and dates included."""
    digest = hashlib.sha256()
    with app.app_context():
        for name in (
            "users",
            "groups",
            "memberships",
            "invitations",
            "audit_log",
            "events",
            "rsvps",
            "polls",
            "poll_options",
            "poll_votes",
        ):
            table = db.metadata.tables[name]
            for row in db.session.execute(sa.select(table).order_by(table.c.id)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def wipe(app):
    with app.app_context(), db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def test_seed_writes_what_it_promises(app, seed):
    result = seed()
    assert result.exit_code == 0, result.output
    assert SEED_PASSWORD in result.output
    assert rows_in(app, "users") == 320
    assert rows_in(app, "groups") == 10
    # 30,000 x scale in the big group, 3,000 x scale in the mid-sized one; 30 in the small.
    assert members_of(app, BIG_GROUP_SLUG) == 300
    assert members_of(app, MID_GROUP_SLUG) == 30
    assert 25 <= members_of(app, SMALL_GROUP_SLUG) <= 30  # some only asked to join
    assert rows_in(app, "invitations") > 0
    assert rows_in(app, "audit_log") == rows_in(app, "memberships")
    groups = db.metadata.tables["groups"]
    descriptions = count(app, sa.select(sa.func.min(sa.func.length(groups.c.description))))
    assert descriptions > 200
    assert "](https://" in count(app, sa.select(groups.c.description).limit(1))


def test_seed_writes_the_same_rows_every_time(app, seed):
    assert seed().exit_code == 0
    first = fingerprint(app)
    wipe(app)
    assert seed().exit_code == 0
    assert fingerprint(app) == first


def test_a_seeded_user_logs_in_with_the_documented_password(app, seed, client, auth):
    assert seed().exit_code == 0
    response = auth.login(OWNER_EMAIL, SEED_PASSWORD)
    assert response.status_code in (302, 303)
    members_page = client.get(f"/groups/{BIG_GROUP_SLUG}/manage/members")
    assert members_page.status_code == 200
    # New rows after the seeded ids: the sequences moved past them.
    assert client.get(f"/groups/{SMALL_GROUP_SLUG}").status_code == 200
    with app.app_context():
        seeded = db.session.scalar(sa.select(sa.func.max(db.metadata.tables["users"].c.id)))
        assert make_user().id > seeded


@pytest.mark.postgres
def test_seeding_never_moves_a_sequence_back(app, seed):
    """Ids handed out before the seeding (to rows deleted since, or kept aside and put
    back later, as the tests' kept worlds are) are not handed out again, nor those a
    sequence was set past without handing any out yet (is_called false)."""
    is_called = {"event_series": True, "events": False, "users": True, "groups": False}
    with app.app_context():
        # Forward from where each sequence stands: an absolute value could move one back
        # (each table's ids start in a range of their own) and break that for later tests.
        next_unused = {
            table: db.session.scalar(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" nextval(pg_get_serial_sequence('{table}', 'id')) + 100000, {called})"
                )
            )
            + called
            for table, called in is_called.items()
        }
        db.session.commit()
    assert seed().exit_code == 0
    with app.app_context():
        for table in is_called:
            next_id = db.session.scalar(
                sa.text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
            )
            assert next_id >= next_unused[table], table
            assert next_id > db.session.scalar(sa.text(f"SELECT max(id) FROM {table}"))  # noqa: S608


def test_seed_refuses_a_database_with_real_users(app, seed, user):
    result = seed()
    assert result.exit_code != 0
    assert "1 real user(s)" in result.output
    assert rows_in(app, "users") == 1
    assert rows_in(app, "groups") == 0


def test_force_seeds_beside_real_users(app, seed, user):
    result = seed("--force")
    assert result.exit_code == 0, result.output
    assert rows_in(app, "users") == 321
    assert members_of(app, BIG_GROUP_SLUG) == 300


def test_a_seeded_database_is_not_seeded_twice(app, seed):
    assert seed().exit_code == 0
    result = seed("--force")
    assert result.exit_code != 0
    assert "seeded already" in result.output
    assert rows_in(app, "users") == 320


def test_seeded_events_have_answers_their_counters_agree_with(app, seed):
    assert seed().exit_code == 0
    events = db.metadata.tables["events"]
    rsvps = db.metadata.tables["rsvps"]
    # 5,000 x scale, and each seeded series' dates.
    assert rows_in(app, "events") == 50 + 10 * DATES_PER_SERIES
    with app.app_context():
        counted = (
            sa.select(
                rsvps.c.event_id,
                sa.func.count().filter(rsvps.c.answer == "going").label("going"),
                sa.func.count().filter(rsvps.c.answer == "waitlisted").label("waiting"),
                sa.func.count().filter(rsvps.c.answer == "maybe").label("maybe"),
                sa.func.coalesce(
                    sa.func.sum(1 + rsvps.c.guests).filter(rsvps.c.answer == "going"), 0
                ).label("places"),
            )
            .group_by(rsvps.c.event_id)
            .subquery()
        )
        rows = db.session.execute(
            sa.select(events, counted).join(counted, counted.c.event_id == events.c.id)
        ).all()
        assert len(rows) > 10
        for row in rows:
            assert (row.going_count, row.waitlist_count, row.maybe_count, row.places_taken) == (
                row.going,
                row.waiting,
                row.maybe,
                row.places,
            )
            assert row.capacity is None or row.places_taken <= row.capacity
        big = db.session.execute(sa.select(events).where(events.c.slug == BIG_EVENT_SLUG)).one()
        assert (big.going_count, big.waitlist_count, big.capacity) == (200, 50, 200)
        assert big.id == BIG_EVENT_ID  # the benchmark's address for it
        zones = db.session.scalars(sa.select(events.c.time_zone).distinct()).all()
        assert len(zones) > 3
        statuses = set(db.session.scalars(sa.select(events.c.status).distinct()).all())
        assert {"published", "cancelled", "draft"} <= statuses
        tickets = db.session.scalars(
            sa.select(rsvps.c.waitlist_ticket)
            .where(rsvps.c.event_id == big.id, rsvps.c.answer == "waitlisted")
            .order_by(rsvps.c.waitlist_ticket)
        ).all()
        assert tickets == list(range(1, 51))


def test_seeded_groups_carry_the_summary_the_list_shows(app, seed):
    from webapp.groups.summary import summary_of

    assert seed().exit_code == 0
    groups = db.metadata.tables["groups"]
    with app.app_context():
        rows = db.session.execute(sa.select(groups.c.description_html, groups.c.summary)).all()
    assert rows
    assert all(row.summary and row.summary == summary_of(row.description_html) for row in rows)


@pytest.mark.postgres
def test_a_seeded_database_is_vacuumed_as_autovacuum_would_leave_it(app, seed):
    """Pages marked all-visible: index-only scans read no table rows, as on a settled
    instance, not the state right after a bulk load."""
    assert seed().exit_code == 0
    with app.app_context():
        unsettled = db.session.scalars(
            sa.text(
                "SELECT relname FROM pg_class WHERE relname IN ('users', 'groups', 'memberships')"
                " AND relallvisible = 0"
            )
        ).all()
    assert unsettled == []


def test_seeding_mails_nobody_when_its_events_come_due_or_its_polls_are_swept(app, seed):
    assert seed().exit_code == 0
    events = db.metadata.tables["events"]
    with app.app_context():
        soonest = db.session.scalar(
            sa.select(sa.func.min(events.c.starts_at)).where(
                events.c.status == "published", events.c.starts_at > ANCHOR
            )
        )
    # Half a day before the first seeded event starts, its reminder would be due.
    moment = (soonest if soonest.tzinfo else soonest.replace(tzinfo=UTC)) - timedelta(hours=12)
    with app.app_context():
        assert sweep_due_reminders(now=moment) == 0
        # Closed seeded polls were mailed when they closed; the sweep finds none left.
        assert sweep_closed_polls() == 0
    assert rows_in(app, "outbox_messages") == 0


def test_seeding_forgets_the_live_topics_of_the_database_before(app, seed):
    # A topic left from rows that are gone, ahead of the seeded rows' versions (which
    # start at 0): kept, no poll would ever find a seeded part current.
    stale = live.topic("poll", 1)
    with app.app_context():
        get_redis().hset(stale, live.VERSION, live.first_version())
    assert seed().exit_code == 0
    with app.app_context():
        assert get_redis().exists(stale) == 0
