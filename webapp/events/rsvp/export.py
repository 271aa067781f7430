"""The attendee list as CSV, for organisers: safe to open in a spreadsheet."""

import csv
import io

from webapp.events.checkin.queries import check_in_times, walk_ins_of
from webapp.events.questions.queries import answers_of_people, questions_of
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.queries import attendees_of
from webapp.extensions import db
from webapp.web.translating import gettext as _
from webapp.web.translating import pgettext

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# such cells get a leading apostrophe, which shows the text as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local_time(moment, zone):
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _header(event, questions):
    return [
        pgettext("attendee list column", "Answer"),
        _("Place in line"),
        _("Name"),
        _("Email"),
        # TRANSLATORS: an attendee list's column: "yes" for someone who answered
        # without an account (a guest).
        _("Without an account"),
        _("Guests"),
        # TRANSLATORS: zone is the event's time zone, such as Europe/Paris.
        _("Answered at (%(zone)s)", zone=event.time_zone),
        # TRANSLATORS: zone is the event's time zone, such as Europe/Paris.
        _("Checked in at (%(zone)s)", zone=event.time_zone),
        # Typed by organisers: made safe as every typed cell is.
        *(safe_cell(question.text) for question in questions),
    ]


def _answer_rows(event, questions, given):
    """Going, waitlisted and maybe in the list's order, numbering the waitlist's places."""
    checked_in = check_in_times(event)
    place = 0
    zone = event.zone
    for rsvp in db.session.scalars(attendees_of(event)):
        waiting = rsvp.answer == Answer.WAITLISTED
        place += waiting
        came = checked_in.get(rsvp.user_id)
        yield [
            str(rsvp.answer.label),
            place if waiting else "",
            rsvp.user.name,
            rsvp.user.email,
            _("yes") if rsvp.user.is_guest else "",
            rsvp.guests,
            _local_time(rsvp.answered_at, zone),
            _local_time(came, zone) if came else "",
            *(given.get((question.id, rsvp.user_id), "") for question in questions),
        ]


def _walk_in_rows(event, questions):
    """The walk-ins in the order they came, with no answer, guests or questions' answers."""
    zone = event.zone
    for walk_in in walk_ins_of(event)[::-1]:
        yield [
            # TRANSLATORS: in the attendee list's Answer column, someone who came without
            # an answer, added at the door.
            pgettext("attendee list answer", "Walk-in"),
            "",
            walk_in.name,
            walk_in.email or "",
            "",
            "",
            "",
            _local_time(walk_in.added_at, zone),
            *("" for _question in questions),
        ]


def attendees_csv(event):
    """Going, waitlisted (in line order) and maybe: name, email, whether they answered
    without an account, guests, when answered and
    when checked in at the door (in the event's time zone), and each answer to the event's
    questions; then the walk-ins, in the order they came. A byte order mark first, so
    spreadsheets read it as UTF-8."""
    questions = questions_of(event)
    given = answers_of_people(event) if questions else {}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(_header(event, questions))
    for row in _answer_rows(event, questions, given):
        writer.writerow([safe_cell(cell) for cell in row])
    for row in _walk_in_rows(event, questions):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
