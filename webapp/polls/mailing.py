"""Poll email: the result to the members who voted, when the poll closes or its slot
becomes a date. One kind in the settings, beside the event kinds (poll_results): who
voted chose to take part, so the outcome is theirs to hear, unless they turned it off.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.accounts.tokens import unsubscribe_url
from webapp.events.calendar.ics import event_page_url
from webapp.events.mail.models import EventMailKind
from webapp.events.mail.sending import KIND_NAMES, links_context, still_sees
from webapp.events.mail.settings import wants_event_mail
from webapp.extensions import db
from webapp.outbox import mail
from webapp.polls.models import Vote
from webapp.polls.queries import options_of
from webapp.polls.results import share
from webapp.web import public_url
from webapp.web.languages import language_of

KIND = EventMailKind.POLL_RESULTS


@dataclass(frozen=True)
class Outcome:
    """A closed poll's counts, and what came first: a plain poll's most votes, a date
    poll's most yes and then most if need be. Several options first together are a tie."""

    rows: list  # (option, yes, if_need_be, percent)
    first: list  # the options that came first (none when nobody chose anything)

    @property
    def is_tie(self):
        return len(self.first) > 1


def outcome_of(poll):
    options = options_of(poll)
    rows = [
        (o, o.yes_count, o.if_need_be_count, share(o.yes_count, poll.voter_count)) for o in options
    ]

    def rank(option):
        return (option.yes_count, option.if_need_be_count if poll.is_date_poll else 0)

    best = max((rank(o) for o in options), default=(0, 0))
    first = [o for o in options if rank(o) == best] if any(best) else []
    return Outcome(rows, first)


def voters(poll, skip=()):
    """Those who voted in poll, want its mail and may still see it (one query); user ids
    in skip excepted."""
    statement = (
        sa.select(User)
        .where(
            sa.exists().where(Vote.poll_id == poll.id, Vote.user_id == User.id),
            wants_event_mail(KIND),
            still_sees(poll.group),
        )
        .order_by(User.id)
    )
    if skip:
        statement = statement.where(User.id.not_in(skip))
    return db.session.scalars(statement).all()


def mail_voters(poll, template, subject, skip=(), event=None, **context):
    """One email to each voter of poll (but those in skip), linking to the poll and to
    event if given; returns how many."""
    people = voters(poll, skip)
    if not people:
        return 0
    outcome = outcome_of(poll)
    with links_context():
        poll_url = public_url.absolute_url("polls.detail", poll_id=poll.id)
        settings_url = public_url.absolute_url("accounts.settings", _anchor="event-mail")
        event_url = event_page_url(event) if event is not None else None
        for user in people:
            mail.send_template(
                user.email,
                subject,
                f"polls/{template}",
                language=language_of(user),
                user=user,
                poll=poll,
                group=poll.group,
                outcome=outcome,
                poll_url=poll_url,
                event=event,
                event_url=event_url,
                settings_url=settings_url,
                kind_name=KIND_NAMES[KIND],
                unsubscribe_url=unsubscribe_url(user, KIND.value),
                **context,
            )
    return len(people)
