"""Rules of polls: create one, add and remove its options, close or delete it,
verb_poll(actor, ...).

They flush and raise RuleError naming the form field it is about; the request commits.
A change to a poll that exists locks its row first (the lock the voting rules take), so
an option cannot vanish under a vote being counted, and two clicks on Close close once.
Every change that shows on the results bumps their live version after commit; closing,
by time or by hand, mails the result to the voters (closing.py).
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from webapp import live
from webapp.audit.models import AuditAction
from webapp.audit.services import log_on_poll
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.times import span_text, to_utc
from webapp.extensions import db
from webapp.polls.closing import drop_closing, mail_results_now, plan_closing
from webapp.polls.models import Poll, PollChoice, PollKind, PollOption, ResultsShown
from webapp.web.markdown import render_markdown
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

MIN_OPTIONS = 2
MAX_OPTIONS = 30


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


def _label(text):
    return " ".join(text.split())


def plain_options(labels):
    """Options from typed labels: blanks dropped, no label twice; RuleError otherwise."""
    cleaned = [_label(label) for label in labels if label and label.strip()]
    seen = set()
    for label in cleaned:
        if label.casefold() in seen:
            raise RuleError(
                _("“%(label)s” is there twice: each option once.", label=label), "options"
            )
        seen.add(label.casefold())
    return [PollOption(label=label) for label in cleaned]


def slot_option(starts_at, ends_at, zone, field_name="slots"):
    """A date poll's option: a slot typed on zone's clocks, labelled with its time."""
    start = to_utc(starts_at, zone, field_name)
    end = to_utc(ends_at, zone, field_name)
    if end <= start:
        raise RuleError(_("Each slot must end after it starts."), field_name)
    option = PollOption(starts_at=start, ends_at=end)
    option.label = span_text(start, end, ZoneInfo(zone))
    return option


def date_options(slots, zone):
    """A date poll's options from typed slots, in time order; no slot twice."""
    options = [slot_option(start, end, zone) for start, end in slots]
    spans = [(o.starts_at, o.ends_at) for o in options]
    if len(set(spans)) != len(spans):
        raise RuleError(_("The same slot is there twice: each slot once."), "slots")
    return sorted(options, key=lambda o: (o.starts_at, o.ends_at))


def _closing_time(details):
    if details.closes_at is None:
        return None
    closes_at = to_utc(details.closes_at, details.time_zone, "closes_at")
    if closes_at <= utcnow():
        raise RuleError(_("The closing time has passed already: choose a later one."), "closes_at")
    return closes_at


def _options_of(details):
    if details.kind == PollKind.DATE:
        options, where = date_options(details.slots, details.time_zone), "slots"
    else:
        options, where = plain_options(details.labels), "options"
    if len(options) < MIN_OPTIONS:
        raise RuleError(
            ngettext(
                "Give at least %(num)d option to choose from.",
                "Give at least %(num)d options to choose from.",
                MIN_OPTIONS,
            ),
            where,
        )
    if len(options) > MAX_OPTIONS:
        raise RuleError(at_most_options(), where)
    return options


def _max_choices(details, options):
    """Only several choices have a maximum, and it must leave something to choose."""
    if details.choice != PollChoice.MULTIPLE or details.max_choices is None:
        return None
    if not 1 <= details.max_choices <= len(options):
        raise RuleError(
            ngettext(
                "With %(num)d option, the most one may choose is 1 to %(num)d.",
                "With %(num)d options, the most one may choose is 1 to %(num)d.",
                len(options),
            ),
            "max_choices",
        )
    return details.max_choices


def at_most_options():
    return ngettext(
        "A poll has at most %(num)d option.", "A poll has at most %(num)d options.", MAX_OPTIONS
    )


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
    options = _options_of(details)
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
        max_choices=None if details.kind == PollKind.DATE else _max_choices(details, options),
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


def lock_poll(poll):
    """Lock the poll's row, then read it again: its state as the last holder left it."""
    lock_row(poll, read_again=True)


def refuse_if_closed(poll):
    """RuleError once the poll is closed, by hand or by its time."""
    if poll.is_closed():
        raise RuleError(_("This poll is closed: it takes no more votes or changes."))


def options_locked(poll):
    """The poll's options in order, read afresh: call under the poll's lock."""
    return db.session.scalars(
        sa.select(PollOption)
        .where(PollOption.poll_id == poll.id)
        .order_by(PollOption.position, PollOption.id)
        .execution_options(populate_existing=True)
    ).all()


def add_option(actor, poll, label=None, slot=None):
    """One more option at the end (a date poll's is a slot, kept in time order)."""
    lock_poll(poll)
    refuse_if_closed(poll)
    options = options_locked(poll)
    if len(options) >= MAX_OPTIONS:
        raise RuleError(at_most_options(), "label")
    if poll.is_date_poll:
        if slot is None:
            raise RuleError(_("Give the slot's start and end."), "starts_at")
        option = slot_option(*slot, poll.time_zone, "starts_at")
        if any((o.starts_at, o.ends_at) == (option.starts_at, option.ends_at) for o in options):
            raise RuleError(_("That slot is in the poll already."), "starts_at")
    else:
        typed = plain_options([label or ""])
        if not typed:
            raise RuleError(_("Type the option."), "label")
        option = typed[0]
        if any(o.label.casefold() == option.label.casefold() for o in options):
            raise RuleError(_("“%(label)s” is in the poll already.", label=option.label), "label")
    option.poll_id = poll.id
    option.position = _place_for(option, options)
    db.session.add(option)
    db.session.flush()
    results_changed(poll)
    return option


def _place_for(option, options):
    """The position of a new option: the end, or a slot's place in time among slots
    (the slots after it move one down)."""
    later = [
        o
        for o in options
        if option.is_slot and (o.starts_at, o.ends_at) > (option.starts_at, option.ends_at)
    ]
    if not later:
        return max((o.position for o in options), default=-1) + 1
    for other in later:
        other.position += 1
    return min(o.position for o in later) - 1


def remove_option(actor, poll, option_id):
    """Take an option away while nobody chose it; a poll keeps two at least."""
    lock_poll(poll)
    refuse_if_closed(poll)
    options = options_locked(poll)
    option = next((o for o in options if o.id == option_id), None)
    if option is None:
        raise RuleError(_("That option is no longer in the poll."))
    if len(options) <= MIN_OPTIONS:
        raise RuleError(
            ngettext(
                "A poll keeps at least %(num)d option.",
                "A poll keeps at least %(num)d options.",
                MIN_OPTIONS,
            )
        )
    chosen = option.yes_count + option.if_need_be_count
    if chosen:
        # Taking it away would change what people voted for behind their backs.
        raise RuleError(
            ngettext(
                "%(num)d person chose “%(label)s”: it stays in the poll.",
                "%(num)d people chose “%(label)s”: it stays in the poll.",
                chosen,
                label=option.label,
            )
        )
    if poll.max_choices is not None and poll.max_choices > len(options) - 1:
        poll.max_choices = len(options) - 1
    db.session.delete(option)
    db.session.flush()
    results_changed(poll)
    return option


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
