"""The voting rules: a member's vote, and a change of it, until the poll closes.

Every vote locks the poll's row first and then reads again what it decides on (the poll's
state, its options and the member's votes), so votes that arrive at the same moment are
counted one after the other and the counters (voter_count on the poll, yes_count and
if_need_be_count on its options) change here and only here, under that lock: results read
them rather than count rows. The database backs the rules with unique constraints (one
vote per member per option, and per single-choice poll) and a foreign key that ties a vote
to an option of its own poll; should a second insert ever slip past the lock, it becomes a
friendly answer, not a 500.
"""

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.groups.access import can_take_part
from webapp.polls.changes import lock_poll, refuse_if_closed, results_changed
from webapp.polls.models import PollKind, Vote, VoteAnswer
from webapp.polls.options import options_locked
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

SLOT_ANSWERS = (VoteAnswer.YES, VoteAnswer.IF_NEED_BE, VoteAnswer.NO)


def votes_of(user, poll):
    """user's votes in poll by option id, read afresh (after the lock, others' writes count)."""
    votes = db.session.scalars(
        sa.select(Vote)
        .where(Vote.poll_id == poll.id, Vote.user_id == user.id)
        .execution_options(populate_existing=True)
    )
    return {vote.option_id: vote for vote in votes}


def wanted_answers(poll, option_ids, chosen, slot_answers):
    """{option_id: VoteAnswer} the ballot asks for; RuleError when it breaks the poll's rules.

    chosen: option ids ticked in a plain poll; slot_answers: {option_id: answer} of a date
    poll, where a slot left unanswered counts as no."""
    if poll.kind == PollKind.DATE:
        unknown = set(slot_answers) - option_ids
        if unknown:
            raise RuleError(
                _("One of those slots is not in this poll (it may have been removed)."), "option"
            )
        if any(answer not in SLOT_ANSWERS for answer in slot_answers.values()):
            raise RuleError(_("Answer each slot with yes, if need be or no."), "option")
        return {
            option_id: VoteAnswer(slot_answers.get(option_id, VoteAnswer.NO))
            for option_id in option_ids
        }
    chosen = set(chosen)
    if chosen - option_ids:
        raise RuleError(
            _("That option is not in this poll (it may have been removed a moment ago)."), "option"
        )
    if not chosen:
        raise RuleError(_("Choose an option to vote."), "option")
    if poll.is_single_choice and len(chosen) > 1:
        raise RuleError(_("Choose one option only."), "option")
    if poll.max_choices is not None and len(chosen) > poll.max_choices:
        raise RuleError(
            ngettext(
                "Choose at most %(num)d option.",
                "Choose at most %(num)d options.",
                poll.max_choices,
            ),
            "option",
        )
    return dict.fromkeys(chosen, VoteAnswer.YES)


def _count(option, answer, sign):
    if answer == VoteAnswer.YES:
        option.yes_count += sign
    elif answer == VoteAnswer.IF_NEED_BE:
        option.if_need_be_count += sign


def cast_vote(actor, poll, chosen=(), slot_answers=None):
    """Vote, or change one's vote, in an open poll. Returns True when something changed
    (False for the same vote again: a double click).

    Votes at the same moment queue for the poll's lock, so what runs under it is kept to
    the reads the rules need and one round of writes (the view commits before it renders)."""
    lock_poll(poll)
    refuse_if_closed(poll)
    if not can_take_part(actor, poll.group):
        raise RuleError(_("Only members of %(group)s can vote.", group=poll.group.name))
    options = {option.id: option for option in options_locked(poll)}
    wanted = wanted_answers(poll, set(options), chosen, slot_answers or {})
    mine = votes_of(actor, poll)
    if {option_id: vote.answer for option_id, vote in mine.items()} == wanted:
        return False
    if not mine:
        poll.voter_count += 1
    results_changed(poll)
    now = utcnow()
    dropped = False
    for option_id, vote in mine.items():
        _count(options[option_id], vote.answer, -1)
        if option_id not in wanted:
            db.session.delete(vote)
            dropped = True
    if dropped:
        # The deletes go first: a single choice's new vote may not share the table with
        # its old one (a flush writes inserts before deletes).
        db.session.flush()
    for option_id, answer in wanted.items():
        _count(options[option_id], answer, 1)
        if option_id in mine:
            mine[option_id].answer, mine[option_id].voted_at = answer, now
        else:
            db.session.add(
                Vote(
                    poll_id=poll.id,
                    option_id=option_id,
                    user_id=actor.id,
                    choice=poll.choice,
                    answer=answer,
                    voted_at=now,
                )
            )
    _flush_votes()
    return True


def _flush_votes():
    # Worded before the flush: one that fails expires the voter's row, which choosing the
    # message's language reads, in a session that can read nothing until it rolls back.
    lost_race = _("Your vote was already being saved. Look again in a moment.")
    try:
        db.session.flush()
    except IntegrityError:
        # Under the lock a second vote from the same member cannot happen; should it ever,
        # the unique constraints refuse it and they hear so, not a 500. The request rolls
        # back on a RuleError (refuse does), counters included.
        raise RuleError(lost_race) from None


def remove_votes(user, poll):
    """Take all of user's votes out of poll, open or closed (their account is being
    deleted): the counters lose them too. Returns True when there were any."""
    lock_poll(poll)
    mine = votes_of(user, poll)
    if not mine:
        return False
    options = {option.id: option for option in options_locked(poll)}
    for option_id, vote in mine.items():
        _count(options[option_id], vote.answer, -1)
        db.session.delete(vote)
    poll.voter_count -= 1
    db.session.flush()
    results_changed(poll)
    return True
