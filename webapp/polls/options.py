"""A poll's options: built from what the organiser typed (labels, or a date poll's slots
on the poll's clocks) when the poll is made, then added or taken away while it is open,
verb_option(actor, poll, ...).

Adding or taking away locks the poll's row first (changes.lock_poll, the lock every vote
takes) and reads the options again under it, so an option cannot vanish under a vote
being counted.
"""

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from webapp.database.unit_of_work import RuleError
from webapp.events.times import span_text, to_utc
from webapp.extensions import db
from webapp.polls.changes import lock_poll, refuse_if_closed, results_changed
from webapp.polls.models import PollChoice, PollKind, PollOption
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

MIN_OPTIONS = 2
MAX_OPTIONS = 30


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


def options_from(details):
    """A new poll's options from what the organiser typed (PollDetails), from MIN_OPTIONS
    to MAX_OPTIONS of them; RuleError on the field they were typed in otherwise."""
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


def max_choices_from(details, options):
    """The most a voter may choose, from what the organiser typed: only several choices
    have a maximum, and it must leave something to choose."""
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
