"""Every route of the app, with real objects in its URL: for tests of a whole class of input.

Routes come from `app.url_map`, so a route added tomorrow is crawled without a change here.
Arguments are filled by name from a small world (an owner, a member, a member who co-hosts
the world's event and the first date of its series, a request to join, an invitation, the
member's comment under the event (pinned, answered, and one hidden), a group's discussion,
and a report of another member); an argument this module does not know gets a
plausible value by its converter, so the route is still reached, if only to answer 404. The
world also holds an event (of a group that takes guests, with a guest going and one whose
link waits) with a session and its speaker, for the event routes, a poll with its options,
for the poll routes, and a task of the event, for the task routes. A series of two dates:
the series' routes name its second date (the first cannot end the series), and the routes a
date of a series answers otherwise (FOR_A_SERIES_DATE: its edit form asks "This date only"
or "This date and every later one") are crawled a second time, for its first.
"""

from typing import NamedTuple
from urllib.parse import quote

import sqlalchemy as sa
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from tests.accounts.factories import make_guest, make_user
from tests.announcements.factories import make_announcement
from tests.discussions.factories import make_comment, make_hidden_comment
from tests.events.agenda.factories import make_session, make_weekend
from tests.events.cohosts.factories import make_cohost
from tests.events.series.factories import make_series
from tests.groups.factories import add_member, make_group, make_invitation
from tests.polls.factories import make_poll, option_ids
from tests.reports.factories import make_report
from tests.tasks.factories import going, make_task
from webapp.accounts.tokens import issue_token
from webapp.discussions.moderation import pin_comment
from webapp.discussions.services import start_discussion
from webapp.events.checkin.models import CheckIn, WalkIn
from webapp.events.checkin.passes import pass_token
from webapp.events.guest_answers.links import answer_token
from webapp.events.guest_answers.services import confirm_purpose
from webapp.events.models import Event
from webapp.events.questions.models import EventQuestion, QuestionChoice
from webapp.events.rsvp.services import answer_event
from webapp.events.series.queries import series_slug
from webapp.events.series.rules import RepeatRule
from webapp.extensions import db
from webapp.reports.models import ReportKind

SAFE = {"GET", "HEAD", "OPTIONS"}
# Fields that would change something if a view ever accepted the POST.
FORM_DATA = {
    "role": "organiser",
    "email": "someone@example.org",
    "password": "Another-Password-1!",
    "confirm": "Another-Password-1!",
    "current_password": "Another-Password-1!",
    "first_name": "Changed",
    "last_name": "Changed",
    "name": "Changed",
    "description": "Changed",
    "message": "Changed",
    "applies_to": "following",
}
# Routes a date of a series answers otherwise than a one-off event: crawl() takes them a
# second time, with the world's series date in their URL.
FOR_A_SERIES_DATE = ("events.manage.edit",)


class SeriesPages(NamedTuple):
    """A series' pages, as series_pages finds them."""

    series: str
    date: str  # its first date's, with the buttons of standing answers
    edit: str  # the first date's edit page: "This date only" or "This date and every later one"
    end: str  # the question that ends the series from its second date
    later_date_id: int

    def paths(self):
        return [self.series, self.date, self.edit, self.end]


def series_pages(first_date):
    """The pages of first_date's series (of two dates or more) that crawls visit."""
    later = db.session.scalar(
        sa.select(Event)
        .where(Event.series_id == first_date.series_id, Event.id != first_date.id)
        .order_by(Event.series_date)
        .limit(1)
    )
    return SeriesPages(
        series=f"/series/{first_date.series_id}-{series_slug(first_date.series)}",
        date=f"/events/{first_date.id}-{first_date.slug}",
        edit=f"/events/{first_date.id}/manage/edit",
        end=f"/events/{later.id}/series/end",
        later_date_id=later.id,
    )


def guests_of(event):
    """A guest going to event and one whose answer waits for its link: (the first's own
    link's token, the second's confirmation token)."""
    answered = make_guest("gus@example.org", verified=True)
    waiting = make_guest("ida@example.org", first_name="Ida")
    answer_event(answered, event, "going", 0)
    details = {"name": "Ida", "answer": "going", "guests": 0, "language": "en"}
    confirm = issue_token(waiting, confirm_purpose(event.id), max_age=86400, details=details)
    db.session.commit()
    return answer_token(event.id, answered.id), confirm


class World:
    """The objects the crawl's URLs name, and the owner who may manage them."""

    def __init__(self, app):
        with app.app_context():
            owner = make_user(email="owner@example.org")
            self.owner_email = owner.email
            member = make_user(email="member@example.org")
            asking = make_user(email="asking@example.org")
            group = make_group(owner, join_policy="approval", allows_guests=True)
            self.member_id = add_member(group, member).id
            self.request_id = add_member(group, asking, status="pending").id
            invitation, link = make_invitation(group, "guest@example.org", inviter=owner)
            self.slug, self.group_name, self.invitation_id = group.slug, group.name, invitation.id
            self.token = link.rsplit("/", 1)[1]
            event = make_weekend(group)
            # A member who co-hosts the event (and the series' first date, below).
            cohost = make_user(email="cohost@example.org")
            add_member(group, cohost)
            make_cohost(event, cohost, added_by=owner)
            self.cohost_id = cohost.id
            talk = make_session(
                event, "Talk", "2030-03-30T10:00", "2030-03-30T11:00", "", [("Ada", "")]
            )
            poll = make_poll(group, labels=("Park", "Pub", "Beach"))
            task = make_task(event, title="Bring chairs")
            # Talk under the event: the member's comment (theirs to edit and remove, the
            # organisers' to hide and unpin: it is pinned) and the owner's reply to it, and
            # one the organisers hid (to show again).
            comment = make_comment(event, member, "Is there **parking** nearby?")
            make_comment(event, owner, "Yes, behind the hall.", reply_to_comment=comment)
            pin_comment(owner, comment, True)
            make_hidden_comment(event, member, owner, "Cheap watches here")
            discussion = start_discussion(member, group, "Car shares", "Who drives?")
            db.session.commit()
            # At the door: the owner going and checked in (an undo), a walker going (a tap).
            walker = make_user(email="walker@example.org")
            add_member(group, walker)
            for person in (owner, walker):
                going(event, person)
            db.session.add(CheckIn(event_id=event.id, user_id=owner.id))
            db.session.commit()
            self.checked_in_id = owner.id
            # The walker's door pass, which the scan page reads (the owner's pass page is
            # the owner's own).
            self.pass_token = pass_token(event.id, walker.id)
            walk_in = WalkIn(event_id=event.id, name="Tom Thumb", takes_place=False)
            db.session.add(walk_in)
            db.session.commit()
            self.walk_in_id = walk_in.id
            # A question the people going answer (the owner and the walker).
            question = EventQuestion(event_id=event.id, text="Any allergies?", required=True)
            db.session.add(question)
            db.session.get(Event, event.id).has_questions = True
            db.session.commit()
            self.question_id = question.id
            # And questions answered with one choice and with several, which everyone on
            # the list reads.
            for kind, text in (("one", "Which ride?"), ("several", "What will you bring?")):
                asked = EventQuestion(event_id=event.id, text=text, kind=kind, shown_to="attendees")
                db.session.add(asked)
                db.session.flush()
                db.session.add_all(
                    QuestionChoice(question_id=asked.id, label=label, position=position)
                    for position, label in enumerate(("Bus", "Bike", "On foot"))
                )
            db.session.commit()
            # A guest going, with their own link, and one whose confirmation link waits.
            self.guest_answer_token, self.guest_confirm_token = guests_of(event)
            # One sent, which members read; one that waits, which its organisers manage;
            # and one sent public, which anyone reads and its organisers may make
            # members-only.
            announcement = make_announcement(group, owner)
            self.waiting_announcement_id = make_announcement(group, owner, in_days=30).id
            self.public_announcement_id = make_announcement(
                group, owner, subject="Open day at the canal", public=True
            ).id
            # Two dates a month apart: the first date's page and its edit page, which no
            # route names with the ids here (the series' routes name the second date).
            first_date = make_series(owner, group, RepeatRule("MONTHLY", count=2))
            make_cohost(first_date, cohost, added_by=owner)
            pages = series_pages(first_date)
            self.series_date_id, self.later_date_id = first_date.id, pages.later_date_id
            self.series_date_edit = pages.edit
            self.series_pages = [pages.date, pages.edit]
            # Talk and reports: a member's comment under the event, and the walker's
            # report of that member, waiting for the organisers. The member plays no role,
            # so an admin's action on the report (deactivate) locks no role out.
            reported = make_user(email="reported@example.org", first_name="Rey")
            add_member(group, reported)
            make_comment(db.session.get(Event, event.id), reported, "Rey was here")
            self.reported_id = reported.id
            report = make_report(
                group, walker, ReportKind.PERSON, reported.id, about_user_id=reported.id
            )
            self.ids = {
                "series_id": first_date.series_id,
                "task_id": task.id,
                "comment_id": comment.id,
                "discussion_id": discussion.id,
                "announcement_id": announcement.id,
                "event_id": event.id,
                "session_id": talk.id,
                "speaker_id": talk.speakers[0].id,
                "poll_id": poll.id,
                "option_id": option_ids(poll)[-1],
                "report_id": report.id,
            }

    def value(self, rule, name, converter):
        """A value for argument name of rule that names something that exists."""
        if isinstance(converter, AnyConverter):
            return sorted(converter.items)[0]
        if isinstance(converter, IntegerConverter):
            if name == "announcement_id" and ".manage." in rule.endpoint:
                return self.waiting_announcement_id
            if name == "announcement_id" and rule.endpoint == "announcements.members_only":
                return self.public_announcement_id
            if name == "user_id" and rule.endpoint.startswith("events.checkin."):
                return self.checked_in_id
            if name == "user_id" and rule.endpoint.startswith("events.cohosts."):
                return self.cohost_id
            if name == "user_id" and rule.endpoint.startswith("reports."):
                return self.reported_id
            if name == "event_id" and rule.endpoint.startswith("events.series."):
                return self.later_date_id
            if name == "walk_in_id":
                return self.walk_in_id
            if name == "question_id":
                return self.question_id
            if name == "number":
                return 1
            if name in self.ids:
                return self.ids[name]
            if "invitation" in name:
                return self.invitation_id
            if rule.endpoint.endswith("decide"):
                return self.request_id
            return self.member_id
        if name == "token" and rule.endpoint == "events.checkin.scan":
            return self.pass_token
        if name == "token" and rule.endpoint == "events.guest_answers.confirm":
            return self.guest_confirm_token
        if name == "token" and (
            rule.endpoint.startswith("events.guest_answers.")
            or rule.endpoint == "feedback.guest_feedback"
        ):
            return self.guest_answer_token
        known = {"slug": self.slug, "token": self.token, "filename": "css/app.css"}
        return known.get(name, "x")

    def form_data(self):
        return {
            **FORM_DATA,
            "confirm_name": self.group_name,
            "delete-confirm_name": self.group_name,
            "transfer-new_owner": str(self.member_id),
        }


def routes(app):
    """Every (rule, method) the app answers, HEAD and OPTIONS aside."""
    return [
        (rule, method)
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def crawl(app, world):
    """(rule, method, url) for every route routes() gives, with the world's objects in its
    URL; a route of FOR_A_SERIES_DATE a second time, with the world's series date."""
    found = []
    for rule, method in routes(app):
        found.append((rule, method, path(rule, world)))
        if rule.endpoint in FOR_A_SERIES_DATE:
            found.append((rule, method, path(rule, world, event_id=str(world.series_date_id))))
    return found


def int_arguments(rule):
    return [
        name
        for name, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter)
    ]


def path(rule, world, **overrides):
    """rule's URL path with the world's values, overrides as raw (already quoted) text."""
    parts = []
    for is_argument, text in rule._trace:
        if not is_argument:
            parts.append(text)
        elif text in overrides:
            parts.append(overrides[text])
        else:
            value = world.value(rule, text, rule._converters[text])
            parts.append(quote(str(value), safe="/"))
    # The trace starts with the host part, which ends in "|".
    return "".join(parts).split("|", 1)[1]


def request(client, method, url, token=None, data=None, htmx=False):
    """One request; the response is closed (static files stream from an open file)."""
    headers = {"X-CSRFToken": token} if token and method not in SAFE else {}
    if htmx:
        headers["HX-Request"] = "true"
    response = client.open(url, method=method, data=data, headers=headers)
    response.close()
    return response
