"""Helpers for the "Your data" tests: a person with something of every kind, another
person beside them, and reading the zip of a download."""

import io
import json
import re
import zipfile
from typing import NamedTuple

from tests.accounts.factories import make_user
from tests.announcements.factories import make_announcement
from tests.discussions.factories import make_comment
from tests.events.factories import make_event
from tests.files.support import make_file
from tests.groups.factories import add_member, make_group, make_invitation
from tests.polls.factories import make_poll, option_ids, vote
from tests.support.auth import html
from tests.tasks.factories import ended_event, going, make_feedback, make_task
from webapp.announcements.models import AnnouncementRead
from webapp.digest.models import DigestSetting, Frequency
from webapp.events.checkin.models import CheckIn
from webapp.events.questions.models import EventQuestion, QuestionAnswer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db


class Pair(NamedTuple):
    email: str
    other_email: str
    user_id: int
    other_id: int
    group_slug: str
    event_id: int
    poll_id: int


OTHER_EMAIL = "zelda.quist@example.net"
OTHER_NAME = ("Zelda", "Quistorp")


def answer(user, event, choice="going"):
    answer_event(user, db.session.merge(event), choice)
    db.session.commit()


def people_with_everything():
    """Ann, owner of a group, with a row of every kind; Zelda, a member beside her with
    rows of her own in the same places. Call in an app context."""
    ann = make_user(first_name="Ann", last_name="Lindqvist")
    zelda = make_user(email=OTHER_EMAIL, first_name=OTHER_NAME[0], last_name=OTHER_NAME[1])
    group = make_group(ann, name="Riverside walkers")
    add_member(group, zelda)
    event = make_event(group, title="Autumn walk", created_by_id=ann.id)
    answer(ann, event)
    answer(zelda, event)
    poll = make_poll(group, labels=("Park", "Pub"), question="Where next?", created_by_id=ann.id)
    park, pub = option_ids(poll)
    vote(ann, poll, park)
    vote(zelda, poll, pub)
    make_task(event, title="Bring the map", assignee=ann, created_by_id=ann.id)
    make_task(event, title="Zelda's flask", assignee=zelda)
    past = ended_event(group, title="Summer walk")
    going(past, ann)
    going(past, zelda)
    make_feedback(past, ann, 5, "Lovely views from the ridge")
    make_feedback(past, zelda, 2, "Too hot for me")
    for person in (ann, zelda):
        db.session.add(CheckIn(event_id=past.id, user_id=person.id, checked_in_by_id=ann.id))
    question = EventQuestion(event_id=past.id, text="Any allergies?")
    db.session.add(question)
    db.session.flush()
    for person, text in ((ann, "Hazelnuts"), (zelda, "None")):
        db.session.add(QuestionAnswer(question_id=question.id, user_id=person.id, text=text))
    announcement = make_announcement(group, ann, subject="Boots on Sunday")
    for person in (ann, zelda):
        db.session.add(AnnouncementRead(announcement_id=announcement.id, user_id=person.id))
    db.session.add(DigestSetting(user_id=ann.id, frequency=Frequency.DAILY))
    db.session.add(DigestSetting(user_id=zelda.id, frequency=Frequency.OFF))
    db.session.commit()
    make_file(event, ann, name="route-ann.pdf")
    make_file(event, zelda, name="route-zelda.pdf")
    make_invitation(group, "friend.of.ann@example.com", inviter=ann)
    asked = make_comment(event, zelda, "Will it rain?")
    make_comment(event, ann, "Bring a coat", reply_to_comment=asked)
    other = make_group(make_user(), name="Choir")
    make_invitation(other, ann.email)
    return Pair(ann.email, zelda.email, ann.id, zelda.id, group.slug, event.id, poll.id)


def zip_members(data):
    """{name: bytes} of a zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_json(data, name):
    return json.loads(zip_members(data)[name])


def download_link(response):
    found = re.search(r'href="(/settings/data/export/\d+/download)"', html(response))
    return found.group(1) if found else None


def live_link(response):
    found = re.search(r'hx-get="(/settings/data/export/\d+/live\?v=[^"]*)"', html(response))
    return found.group(1).replace("&amp;", "&") if found else None
