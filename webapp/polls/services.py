"""Rules of polls: create one, close or delete it, verb_poll(actor, ...). Its options are
options.py; the lock and the results' live version every change shares, changes.py.

They flush and raise RuleError naming the form field it is about; the request commits.
A change to a poll that exists locks its row first (the lock the voting rules take), so
two clicks on Close close once. Every change that shows on the results bumps their live
version after commit; closing, by time or by hand, mails the result to the voters
(closing.py).
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from webapp import live
from webapp.audit.models import AuditAction
from webapp.audit.services import log_on_poll
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.events.times import to_utc
from webapp.extensions import db
from webapp.polls.changes import lock_poll, publish_results_version, results_changed, results_topic
from webapp.polls.closing import drop_closing, mail_results_now, plan_closing
from webapp.polls.models import Poll, PollChoice, PollKind, ResultsShown
from webapp.polls.options import max_choices_from, options_from
from webapp.web.markdown import render_markdown
from webapp.web.translating import gettext as _


@dataclass(frozen=True)
class PollDetails:
    """What an organiser typed; times are naive wall-clock times in time_zone. Plain
    polls use labels, date polls slots (pairs of start and end)."""

    question: str
    description: str
    kind: str
    choice: str
    max_choices: int | None
    results_shown: str
    time_zone: str
    closes_at: datetime | None
    labels: list[str] = field(default_factory=list)
    slots: list[tuple[datetime, datetime]] = field(default_factory=list)


def _closing_time(details):
    if details.closes_at is None:
        return None
    closes_at = to_utc(details.closes_at, details.time_zone, "closes_at")
    if closes_at <= utcnow():
        raise RuleError(_("The closing time has passed already: choose a later one."), "closes_at")
    return closes_at


def create_poll(actor, group, details, event=None):
    """A new open poll of group, or of event (which must be the group's)."""
    if event is not None and event.group_id != group.id:
        raise RuleError(_("That event is not one of this group's."))
    if event is not None and event.is_cancelled:
        raise RuleError(_("This event is cancelled: it takes no new polls."))
    if details.kind not in PollKind.values():
        raise RuleError(_("Choose a poll or a date poll."), "kind")
    if details.results_shown not in ResultsShown.values():
        raise RuleError(_("Choose when the results show."), "results_shown")
    options = options_from(details)
    # A date poll's member answers every slot: one choice means nothing there.
    choice = PollChoice.MULTIPLE if details.kind == PollKind.DATE else PollChoice(details.choice)
    poll = Poll(
        group_id=group.id,
        event_id=event.id if event else None,
        question=details.question,
        description=details.description,
        description_html=str(render_markdown(details.description)),
        kind=PollKind(details.kind),
        choice=choice,
        max_choices=None if details.kind == PollKind.DATE else max_choices_from(details, options),
        results_shown=ResultsShown(details.results_shown),
        time_zone=details.time_zone,
        closes_at=_closing_time(details),
        created_by_id=actor.id,
    )
    db.session.add(poll)
    db.session.flush()
    for position, option in enumerate(options):
        option.poll_id = poll.id
        option.position = position
    db.session.add_all(options)
    db.session.flush()
    # A deleted poll's id may come again (SQLite): its results start afresh.
    live.start_afresh_after_commit(results_topic(poll.id))
    publish_results_version(poll)
    if poll.closes_at is not None:
        plan_closing(poll)
    return poll


def close_poll(actor, poll):
    """Closed by hand: no more votes, results show to all who were waiting for it, and the
    voters are mailed the result."""
    lock_poll(poll)
    if poll.closed_at is not None:
        raise RuleError(_("This poll is already closed."))
    poll.closed_at = utcnow()
    db.session.flush()
    results_changed(poll)
    mail_results_now(poll)


def delete_poll(actor, poll):
    """Gone for good, with its options and votes (the database's cascades): its result
    is mailed to nobody, and its results, where a page still shows them, say so once
    the deletion commits and stop polling."""
    lock_poll(poll)
    log_on_poll(actor, AuditAction.POLL_DELETED, poll)
    drop_closing(poll)
    live.bump_after_commit(results_topic(poll.id), until=utcnow())
    db.session.execute(sa.delete(Poll).where(Poll.id == poll.id))
    db.session.flush()
