"""Lists show a series by its next date: the coming dates after it are folded
(Event.series_folded), and the database's listing triggers hide them from every list
(migration 0030_series_folded), their indexes and their counts included.

The next date is the first coming one (not ended, not deleted) by start that is not
cancelled, or the first coming one when all are: a cancelled date before it stays listed,
saying so. The folds are worked out again when dates of the series are made, and once
before a transaction that moved, cancelled or deleted some of them commits; as time
passes, when the next date ends (refold_at), by a sweep in the job workers' maintenance
pass.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from webapp.database.times import utcnow
from webapp.events.models import Event, EventStatus
from webapp.events.series.models import EventSeries
from webapp.events.signals import event_cancelled, event_changed, event_deleted
from webapp.extensions import db
from webapp.jobs import sweep_due

# What moves a date in the order of its series' coming dates.
_MOVES = frozenset({"starts_at", "ends_at"})


def shown_and_folded(coming):
    """Of a series' coming dates in order of start, as (id, cancelled) pairs: the index of
    the one lists show, and the ids of those folded under it."""
    shown = next((index for index, (_, cancelled) in enumerate(coming) if not cancelled), 0)
    return shown, [date_id for date_id, _ in coming[shown + 1 :]]


def fold_dates(series, now=None):
    """Fold the series' coming dates after its next one, unfold the others; returns the
    id of the date lists show (None when no date is to come)."""
    now = now or utcnow()
    coming = db.session.execute(
        sa.select(Event.id, Event.status, Event.ends_at)
        .where(Event.series_id == series.id, Event.deleted_at.is_(None), Event.ends_at > now)
        .order_by(Event.starts_at, Event.id)
    ).all()
    shown, folded = shown_and_folded(
        [(date.id, date.status == EventStatus.CANCELLED) for date in coming]
    )
    is_folded = Event.id.in_(folded)
    db.session.execute(
        sa.update(Event)
        .where(Event.series_id == series.id, Event.series_folded != is_folded)
        .values(series_folded=is_folded)
        .execution_options(synchronize_session=False)
    )
    series.refold_at = coming[shown].ends_at if folded else None
    db.session.flush()
    return coming[shown].id if coming else None


# The series some of whose dates moved, were cancelled or were deleted in this
# transaction: each folded once, as it commits, however many of its dates changed ("this
# and following" and ending a series change them all).
_TO_FOLD = "hearth_series_to_fold"


def _fold_when_committed(event):
    if event.series_id is not None:
        db.session.info.setdefault(_TO_FOLD, set()).add(event.series_id)


@event_changed.connect
def _refold_moved(event, changes, **extra):
    if changes & _MOVES:
        _fold_when_committed(event)


@event_cancelled.connect
@event_deleted.connect
def _refold_gone(event, **extra):
    _fold_when_committed(event)


@sa.event.listens_for(Session, "before_commit")
def _fold_changed_series(session):
    # In the order of their ids: two transactions fold their series' dates in one order.
    for series_id in sorted(session.info.pop(_TO_FOLD, ())):
        series = session.get(EventSeries, series_id)
        if series is not None:
            fold_dates(series)


@sa.event.listens_for(Session, "after_rollback")
def _forget_changed_series(session):
    session.info.pop(_TO_FOLD, None)


def _series_to_refold(now):
    return (
        sa.select(EventSeries.id)
        .where(EventSeries.refold_at <= now)
        .order_by(EventSeries.refold_at, EventSeries.id)
    )


def _refold_one(series_id, now):
    series = db.session.get(EventSeries, series_id)
    if series is not None:
        fold_dates(series, now)


def sweep_series_folds(now=None):
    """Show the next date of each series whose shown date has ended; one transaction each."""
    return sweep_due("series fold", _series_to_refold, _refold_one, now)
