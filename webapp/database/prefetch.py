"""What a query read along with its object, kept for the rest of the unit of work.

A page's main query often joins a little more than its object: the viewer's membership
in the group, their answer to the event, whether the event has an agenda. Rather than ask
again later, the query hands those values to prefetched(kind) (a "prefetch": a class with
add(statement), which adds the columns, and remember(...), which stores them), and the
code that needs them looks there first. A value is forgotten at the next flush that
writes a row of the models it was read from (forget_when_written), or at any rollback,
so that it never outlives a change.
"""

from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.extensions import db

_PREFETCHED = "hearth_prefetched"
# kind -> the models whose rows it was read from. A flush that writes none of them leaves
# it known (an answer written keeps the viewer's membership); a kind not named here is
# forgotten at every flush.
_READ_FROM = {}


def prefetched(kind):
    """This unit of work's memory of kind ("memberships", "answers"...): {key: value} read
    along with something else (webapp.groups.access.ReadWithMembership), forgotten at the
    next write (flush) of what it was read from (forget_when_written), or at any
    rollback, so that an answer never outlives a change."""
    return db.session.info.setdefault(_PREFETCHED, {}).setdefault(kind, {})


def forget_when_written(kind, *models):
    """Declare what kind is read from: it is forgotten at a flush that writes one of
    models (new, changed or deleted rows the ORM flushes). A Core statement is not seen:
    the deletions of a poll or a task are, and their requests read nothing after them."""
    _READ_FROM[kind] = frozenset(models)


@event.listens_for(Session, "after_flush")
def _forget_what_was_written(session, flush_context):
    memory = session.info.get(_PREFETCHED)
    if not memory:
        return
    # After a flush the session still lists what it wrote as new, dirty and deleted.
    written = {type(row) for rows in (session.new, session.dirty, session.deleted) for row in rows}
    for kind in list(memory):
        read_from = _READ_FROM.get(kind)
        if read_from is None or not read_from.isdisjoint(written):
            del memory[kind]


@event.listens_for(Session, "after_rollback")
def _forget_all_prefetched(session, *args):
    session.info.pop(_PREFETCHED, None)
