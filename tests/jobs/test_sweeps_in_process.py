"""Without Redis the web process runs every registered sweep after a commit (inside the
session's after_commit): each must work there, in a session of its own. The sweep of old
answers to questions once used the request's session and failed there, logged on every
commit of the embedded default."""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.accounts.factories import make_user
from webapp.extensions import db
from webapp.jobs import registered_sweeps


def test_every_registered_sweep_runs_after_a_commit(app):
    failures, ran = [], []

    def sweep_all(session):
        for name, sweep in registered_sweeps(app):
            try:
                sweep()
            except Exception as error:  # noqa: BLE001  (each failure is reported)
                failures.append(f"{name}: {type(error).__name__}: {error}")
            ran.append(name)

    with app.app_context():
        make_user()  # a first write, committed, as a request's would be
        event.listen(Session, "after_commit", sweep_all, once=True)
        db.session.execute(sa.update(db.metadata.tables["users"]).values(first_name="Ann"))
        db.session.commit()
    assert "old answers to questions" in ran
    assert failures == []
