"""What a poll shows one viewer: the options with their counts and shares, whether the
results are theirs to see yet, their own vote, and the live version the results poll
with (the poll's own, read with it). The poll page adds it to its context with
`**poll_context(poll)`; the vote and live views render parts of the same."""

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user

from webapp.events.times import listed_moment, zone_named
from webapp.groups.access import can_take_part, membership_of
from webapp.polls.access import can_manage_poll, can_see_results
from webapp.polls.forms import OptionForm
from webapp.polls.models import Poll, VoteAnswer
from webapp.polls.queries import options_and_answers
from webapp.web.templating import viewer_zone

# Short enough to show others' votes well within five seconds (the issue's promise).
POLL_EVERY = "3s"


def share(count, total):
    """A whole percentage of total (0 when nobody voted)."""
    return round(100 * count / total) if total else 0


@dataclass(frozen=True)
class OptionResult:
    option: object
    yes: int
    if_need_be: int
    percent: int
    mine: VoteAnswer | None


@dataclass
class PollView:
    poll: Poll
    options: list
    mine: dict
    is_member: bool
    is_pending: bool
    can_manage: bool
    closed: bool
    form: object = None
    option_form: object = None
    version: str = ""
    poll_every: str = POLL_EVERY

    @property
    def new_option_form(self):
        """The organisers' form for one more option: as sent (after a refusal), or blank."""
        return self.option_form or OptionForm(formdata=None)

    @property
    def has_voted(self):
        return bool(self.mine)

    @property
    def can_vote(self):
        return self.is_member and not self.closed

    @property
    def results_visible(self):
        return can_see_results(current_user, self.poll, self.has_voted)

    @property
    def final(self):
        """Nothing in the results can change any more: no polling."""
        return self.closed

    @property
    def rows(self):
        total = self.poll.voter_count
        return [
            OptionResult(
                option=option,
                yes=option.yes_count,
                if_need_be=option.if_need_be_count,
                percent=share(option.yes_count, total),
                mine=self.mine.get(option.id),
            )
            for option in self.options
        ]

    @property
    def most_yes(self):
        return max((option.yes_count for option in self.options), default=0)

    @property
    def closes_text(self):
        """When it closes (or closed), on the viewer's clocks and, when they differ, on
        the poll's: a time with no zone named is no time at all in a list of many zones."""
        closes_at = self.poll.closed_at or self.poll.closes_at
        if not closes_at:
            return ""
        zone = zone_named(self.poll.time_zone)
        text, own = listed_moment(closes_at, zone, viewer_zone(), "the poll's")
        return f"{text} ({own})" if own else text

    @property
    def live_url(self):
        return url_for("polls.live_results", poll_id=self.poll.id, v=self.version)


def poll_context(poll, form=None, option_form=None):
    """{"view": PollView} for the current viewer: one query (the options with their own
    votes; the membership is the access checks' own), none when the poll was read with
    them. The live version is the poll's own (results_version): no Redis read."""
    membership = membership_of(current_user, poll.group)
    options, mine = options_and_answers(current_user, poll)
    view = PollView(
        poll=poll,
        options=options,
        mine=mine,
        is_member=can_take_part(current_user, poll.group),
        is_pending=membership is not None and not membership.is_active,
        can_manage=can_manage_poll(current_user, poll),
        closed=poll.is_closed(),
        form=form,
        option_form=option_form,
    )
    if not view.final:
        view.version = str(poll.results_version)
    return {"view": view}
