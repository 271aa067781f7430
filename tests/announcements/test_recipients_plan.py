"""The walk through an announcement's audience on PostgreSQL (EXPLAIN, no timing): with
current statistics a batch reads its own rows; with those of nearly empty tables, as
after a big import autovacuum has not seen yet (or an earlier test's ANALYZE), at most
the rest of the audience once. Walked along users by id instead, such a batch of a big
group read every later user once per member it passed, a hundred times more.

The audience is every other person, its rows written in the reverse of their people's
order, so that neither row ids nor the people between them can stand in for the walk.
"""

import pytest
import sqlalchemy as sa

from tests.announcements.factories import make_announcement
from tests.tasks.factories import make_party
from webapp.accounts.models import User
from webapp.announcements import sending
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group

pytestmark = pytest.mark.postgres

PEOPLE = 6_000  # every other one in the audience
# A person's rows and index pages in the audience and in users, and a margin.
MOST_BLOCKS_PER_PERSON = 10


def fill_audience(group_id, event_id):
    """PEOPLE verified people; the odd-numbered ones members of the group and going to the
    event, written from the last to the first. Their ids in the walk's order."""
    run = db.session.execute
    run(
        sa.text(
            "INSERT INTO users (email, email_normalized, first_name, last_name, password_hash,"
            " email_verified_at, created_at) SELECT 'walk' || n || '@example.org',"
            " 'walk' || n || '@example.org', 'Walker', 'W' || n, 'x', now(), now()"
            " FROM generate_series(1, :n) AS n"
        ),
        {"n": PEOPLE},
    )
    audience = sa.select(User.id).where(User.email.like("walk%@example.org"), User.id % 2 == 1)
    ids = sorted(db.session.scalars(audience))
    people = "FROM unnest(CAST(:ids AS integer[])) AS id ORDER BY id DESC"
    run(
        sa.text(
            "INSERT INTO memberships (group_id, user_id, role, status, created_at)"
            f" SELECT :group_id, id, 'member', 'active', now() {people}"
        ),
        {"group_id": group_id, "ids": ids},
    )
    run(
        sa.text(
            "INSERT INTO rsvps (event_id, user_id, answer, guests, answered_at, created_at)"
            f" SELECT :event_id, id, 'going', 0, now(), now() {people}"
        ),
        {"event_id": event_id, "ids": ids},
    )
    db.session.commit()
    return ids


def analyze():
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("users", "memberships", "rsvps", "announcement_deliveries"):
            connection.exec_driver_sql(f"ANALYZE {table}")


def blocks_read(statement):
    connection = db.session.connection()
    sql = statement.compile(connection, compile_kwargs={"literal_binds": True}).string
    (plan,) = connection.exec_driver_sql(
        "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) " + sql
    ).scalar()
    top = plan["Plan"]
    return top["Shared Hit Blocks"] + top["Shared Read Blocks"], plan


@pytest.mark.parametrize("current", [True, False], ids=["statistics current", "stale"])
@pytest.mark.parametrize("to_event", [False, True], ids=["members", "people going"])
def test_a_batch_reads_no_more_than_the_people_it_may_reach(app_context, to_event, current):
    party = make_party(members=0)
    group = db.session.scalar(sa.select(Group).where(Group.slug == party.slug))
    event = db.session.get(Event, party.event_id)
    organiser = db.session.scalar(sa.select(User).where(User.email == party.organiser))
    analyze()  # nearly empty
    ids = fill_audience(group.id, event.id)
    if current:
        analyze()
    announcement = make_announcement(group, organiser, event=event if to_event else None)

    # A batch from the middle of the walk: all of it is left behind or ahead.
    after = ids[len(ids) // 2]
    statement = sending.recipients_statement(announcement, after, sending.BATCH)
    batch = [person.id for person in sending.recipients(announcement, after, sending.BATCH)]
    blocks, plan = blocks_read(statement)
    db.session.rollback()

    ahead = [i for i in ids if i > after]
    assert batch == ahead[: sending.BATCH]
    people_read = sending.BATCH if current else len(ahead)
    assert blocks <= MOST_BLOCKS_PER_PERSON * people_read, plan
