"""What every change to a poll shares: the lock on its row, taken first (the voting rules
take it too, so votes and organisers' changes to one poll come one after the other); the
refusal once the poll is closed; and the results' live version, moved on under that lock
and published after commit.
"""

from webapp import live
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.web.translating import gettext as _


def lock_poll(poll):
    """Lock the poll's row, then read it again: its state as the last holder left it."""
    lock_row(poll, read_again=True)


def refuse_if_closed(poll):
    """RuleError once the poll is closed, by hand or by its time."""
    if poll.is_closed():
        raise RuleError(_("This poll is closed: it takes no more votes or changes."))


def results_topic(poll_id):
    """The Redis key of a poll's live results."""
    return live.topic("poll", poll_id)


def results_changed(poll):
    """Move the results' version on, in this transaction, and publish it once it commits.
    Call under the poll's lock (lock_poll), which makes the changes to one poll, and so
    their versions, one after the other."""
    poll.results_version += 1
    publish_results_version(poll)


def publish_results_version(poll):
    """Tell the results' live part the poll's version once the transaction commits."""
    live.publish_after_commit(
        results_topic(poll.id), poll.results_version, until=results_until(poll)
    )


def results_until(poll):
    """When the results stop changing: at once for a closed poll, at closes_at for an
    open one (their live part then stops polling)."""
    return utcnow() if poll.closed_at else poll.closes_at
