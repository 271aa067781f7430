"""What the RSVP panel shows one viewer: counts, their answer and place in line, what they
may do, and the live version it polls with. The event page adds it to its context with
`**rsvp_panel_context(event)`; the RSVP views render the same panel alone."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import format_decimal, get_locale
from flask_login import current_user

from webapp.database.times import utcnow
from webapp.events.access import can_manage_event, may_answer, takes_guests
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.rsvp.queries import answer_and_place
from webapp.events.times import moment_text
from webapp.groups.access import can_take_part, membership_of
from webapp.groups.models import Membership

# Short enough to show others' answers well within five seconds (the issue's promise).
POLL_EVERY = "3s"


def ordinal(number):
    """A place in line as the page's language says it: in English 1 -> "1st", 2 -> "2nd",
    11 -> "11th", 23 -> "23rd"; elsewhere the number, which the translated sentence frames
    ("Ocupas el puesto 1"): Babel has no ordinals, and a suffix would need a gender."""
    if get_locale().language != "en":
        return format_decimal(number)
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@dataclass
class RsvpPanel:
    event: Event
    mine: Rsvp | None
    place: int | None
    membership: Membership | None
    is_member: bool
    # A member, or someone else where the event takes guests (events.access.may_answer).
    may_answer: bool
    takes_guests: bool
    can_manage: bool
    ended: bool
    form: object = None
    version: str = ""
    poll_every: str = POLL_EVERY

    @property
    def final(self):
        """Nothing on the panel can change any more: no polling."""
        return self.event.is_cancelled or not self.event.is_live or self.ended

    @property
    def closed(self):
        return self.event.answers_closed()

    @property
    def can_answer(self):
        return self.may_answer and not self.closed

    @property
    def can_see_attendees(self):
        return self.is_member or self.can_manage

    @property
    def place_text(self):
        return ordinal(self.place) if self.place else ""

    @property
    def guests_shown(self):
        """The guests the select shows: what was sent (after an error), else the saved ones."""
        if self.form is not None and self.form.guests.data is not None:
            return self.form.guests.data
        return self.mine.guests if self.mine and self.mine.answer == Answer.GOING else 0

    @property
    def closes_text(self):
        closes_at = self.event.rsvp_deadline or self.event.starts_at
        return moment_text(closes_at, self.event.zone)

    @property
    def poll_url(self):
        # The answer shown rides along, so a poll can say when it changed (a promotion).
        shown = self.mine.answer.value if self.mine else None
        return url_for(
            "events.rsvp.live_panel", event_id=self.event.id, v=self.version, shown=shown
        )


def rsvp_panel_context(event, form=None):
    """{"rsvp_panel": RsvpPanel} for the current viewer: one query when logged in (their
    answer with its place in line; the membership is the access checks' own). The live
    version is the event's own (rsvp_version), read with it: no Redis read."""
    mine, place = (None, None)
    if current_user.is_authenticated:
        mine, place = answer_and_place(current_user, event)
    panel = RsvpPanel(
        event=event,
        mine=mine,
        place=place,
        membership=membership_of(current_user, event.group),
        is_member=can_take_part(current_user, event.group),
        may_answer=may_answer(current_user, event),
        takes_guests=takes_guests(event),
        can_manage=can_manage_event(current_user, event),
        ended=event.has_ended(utcnow()),
        form=form,
    )
    if not panel.final:
        panel.version = str(event.rsvp_version)
    return {"rsvp_panel": panel}
