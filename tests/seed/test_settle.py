"""settle() leaves freshly written tables all-visible even when their rows were committed
without waiting for the disk (synchronous_commit off, as the tests' connections do):
VACUUM marks no page all-visible until those commits are flushed, nor while another
transaction's snapshot is older than them, and both happened by chance before (a seeded
database's users and memberships were once left unsettled in CI)."""

import pytest
import sqlalchemy as sa

from webapp.extensions import db
from webapp.seed import settle

pytestmark = pytest.mark.postgres


@pytest.fixture
def probe(app):
    """A table of the test's own, dropped after it."""
    with app.app_context():
        db.session.execute(sa.text("CREATE TABLE settle_probe (n integer, note text)"))
        db.session.commit()
    yield "settle_probe"
    with app.app_context():
        db.session.execute(sa.text("DROP TABLE settle_probe"))
        db.session.commit()


@pytest.mark.parametrize("round_", range(3))
def test_rows_committed_without_waiting_are_settled_at_once(app, probe, round_):
    with app.app_context():
        db.session.execute(sa.text("SET LOCAL synchronous_commit TO off"))
        db.session.execute(
            # The test's own table name.
            sa.text(
                f"INSERT INTO {probe} SELECT n, repeat('x', 100) FROM generate_series(1, 5000) n"  # noqa: S608
            )
        )
        db.session.commit()
        settle([probe])
        visible = db.session.scalar(
            sa.text("SELECT relallvisible FROM pg_class WHERE relname = :name"), {"name": probe}
        )
    assert visible > 0
