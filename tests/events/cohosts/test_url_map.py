"""Over the whole URL map: a co-host can do exactly their event's actions.

Every route of the app (app.url_map, so a route added tomorrow is in), by every method, is
sent by three people, each in a world of their own built alike: Ada, who co-hosts the
Walkers' Night walk (E) and organises nothing; Ines, an organiser of the Walkers; and Bo,
a plain member. A route that names an object is sent once for each place it may be:
E's, the Walkers' other Night walk's (F: same title, a higher id, a co-host of its own),
the Walkers' own (G), another group's (H, where Ada and Bo are members) and its concert's
(X). Then:

- on E, Ada gets what Ines gets, but for the organisers' own routes (cancel, delete,
  co-hosts, ending a series), where she gets what Bo gets;
- everywhere else, Ada gets what Bo gets;
- the routes where Ada may act on E and Bo may not are exactly COHOST_MAY; on F, G, H and X
  Ada is refused each of them (403, 404, or sent to log in).

Each world sees the same requests in the same order, so what one request changes (a
session deleted, a poll closed) the next finds alike in the worlds compared; what ends
things (deleting, leaving, logging out) goes last. Forms carry the crawl's data (most are
refused as incomplete, 422: the check of who may act came first).
"""

import re

import pytest
import sqlalchemy as sa
from werkzeug.routing.converters import AnyConverter

from tests.accounts.factories import make_user
from tests.announcements.factories import make_announcement
from tests.conftest import Auth
from tests.events.agenda.factories import make_session
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.events.series.factories import make_series
from tests.files.support import make_file
from tests.groups.factories import add_member, make_group, make_invitation
from tests.polls.factories import make_poll, option_ids, slots_from_now
from tests.support.crawl import FORM_DATA, path, request, routes
from tests.tasks.factories import going, make_task
from webapp.events.checkin.models import WalkIn
from webapp.events.checkin.passes import pass_token
from webapp.events.models import Event
from webapp.events.questions.models import EventQuestion
from webapp.events.rsvp.models import Rsvp
from webapp.events.series.rules import RepeatRule
from webapp.extensions import db

pytestmark = pytest.mark.timeout(300)

# What a co-host may do on their event and a member may not (the crawl's form data: a
# form's 422 counts as let in).
COHOST_MAY = {
    # Closing the event's comments (hiding and pinning one: tests/discussions, by comment).
    ("discussions.lock", "POST"),
    ("events.manage.edit", "GET"),
    ("events.manage.edit", "POST"),
    ("events.manage.publish", "POST"),
    ("events.agenda.new", "GET"),
    ("events.agenda.add", "POST"),
    ("events.agenda.show", "GET"),
    ("events.agenda.edit", "GET"),
    ("events.agenda.edit", "POST"),
    ("events.agenda.delete", "GET"),
    ("events.agenda.delete", "POST"),
    ("events.agenda.add_speaker_to", "POST"),
    ("events.agenda.remove_speaker_from", "POST"),
    ("events.checkin.door", "GET"),
    ("events.checkin.live_counts", "GET"),
    ("events.checkin.check_in_person", "POST"),
    ("events.checkin.undo", "POST"),
    ("events.checkin.scan", "GET"),
    ("events.checkin.scan", "POST"),
    ("events.checkin.add_walk_in", "POST"),
    ("events.checkin.remove_walk_in", "POST"),
    ("events.questions.page", "GET"),
    ("events.questions.page", "POST"),
    ("events.questions.edit", "GET"),
    ("events.questions.edit", "POST"),
    ("events.questions.delete", "POST"),
    ("events.rsvp.remove", "GET"),
    ("events.rsvp.remove", "POST"),
    ("events.rsvp.export", "GET"),
    ("tasks.event_tasks", "POST"),
    ("tasks.settings", "POST"),
    ("tasks.manage.edit", "GET"),
    ("tasks.manage.edit", "POST"),
    ("tasks.manage.delete", "GET"),
    ("tasks.manage.delete", "POST"),
    ("polls.new_on_event", "GET"),
    ("polls.new_on_event", "POST"),
    ("polls.manage.votes", "GET"),
    ("polls.manage.close", "GET"),
    ("polls.manage.close", "POST"),
    ("polls.manage.delete", "GET"),
    ("polls.manage.delete", "POST"),
    ("polls.manage.add", "POST"),
    ("polls.manage.remove", "POST"),
    ("polls.manage.schedule", "GET"),
    ("polls.manage.schedule", "POST"),
    ("files.delete", "GET"),
    ("files.delete", "POST"),
    ("announcements.new_for_event", "GET"),
    ("announcements.new_for_event", "POST"),
    ("announcements.detail", "GET"),
    ("announcements.mark_one_read", "POST"),
    ("announcements.manage.edit", "GET"),
    ("announcements.manage.edit", "POST"),
    ("announcements.manage.withdraw", "GET"),
    ("announcements.manage.withdraw", "POST"),
}
# On their event too, the group's organisers' alone.
ORGANISERS_ONLY = (
    "events.manage.cancel",
    "events.manage.delete",
    "events.cohosts.",
    "events.series.end",
)

# Arguments that put a route on an event (or on what belongs to one).
EVENT_ARGUMENTS = {
    "event_id",
    "task_id",
    "file_id",
    "session_id",
    "speaker_id",
    "question_id",
    "rsvp_id",
    "walk_in_id",
}
GROUP_ARGUMENTS = {"slug", "membership_id", "invitation_id", "series_id"}
EVENT_PLACES, GROUP_PLACES = ("E", "F", "X"), ("G", "H")

# What ends something every later request needs, last, in this order: the event's things
# (a speaker before its session, an option before its poll is closed and deleted), then
# the event, the group and the session of the one asking.
LAST = (
    "events.agenda.remove_speaker_from",
    "events.agenda.delete",
    "events.questions.delete",
    "events.checkin.remove_walk_in",
    "events.rsvp.remove",
    "files.delete",
    "tasks.manage.delete",
    "polls.manage.remove",
    "polls.manage.close",
    "polls.manage.delete",
    "announcements.manage.withdraw",
    "events.cohosts.remove",
    "events.manage.cancel",
    "events.manage.delete",
    "groups.manage.remove",
    "groups.manage.transfer",
    "groups.manage.delete",
    "groups.new",
    "groups.leave",
    "auth.",
    "accounts.",
    "auth.logout",
)


def last_rank(endpoint, method):
    """Where a request goes in the order: GETs first, then POSTs, LAST's at the end."""
    if method == "GET":
        return -1
    ranks = [index for index, prefix in enumerate(LAST) if endpoint.startswith(prefix)]
    return max(ranks) if ranks else 0


# What an id a place does not name points at: nothing, in every world alike, whatever ids
# the tests before this one used (id 1 would be a row of the first world built alone).
NOWHERE = 2**31 - 1


class Place:
    """The values a route's arguments take in one place of a world."""

    def __init__(self, **values):
        self.values = values

    def value(self, rule, name, converter):
        if isinstance(converter, AnyConverter):
            return sorted(converter.items)[0]
        if name == "announcement_id":
            return self.values["waiting" if ".manage." in rule.endpoint else "sent"]
        if name == "user_id" and rule.endpoint.startswith("events.cohosts."):
            return self.values["cohost_id"]
        if name == "membership_id" and rule.endpoint.endswith("decide"):
            return self.values["request_id"]
        if name == "slug" and rule.endpoint == "events.detail":
            return self.values["event_slug"]
        if name == "number":
            return 1
        return self.values.get(name, NOWHERE if name != "token" else "x")


def event_things(group, event, owner, gus, other_cohost):
    """One of everything of an event's, and Gus going (checked in at the door, below)."""
    going(event, gus)
    session = make_session(event, "Talk", "2030-03-30T10:00", "2030-03-30T11:00", "", [("Ann", "")])
    poll = make_poll(group, event=event, slots=slots_from_now(3))
    question = EventQuestion(event_id=event.id, text="Any allergies?")
    walk_in = WalkIn(event_id=event.id, name="Tom")
    db.session.add_all([question, walk_in])
    db.session.get(Event, event.id).has_questions = True
    db.session.commit()
    return {
        "event_id": event.id,
        "event_slug": event.slug,
        "task_id": make_task(event, title="Bring torches").id,
        "file_id": make_file(event, owner, name="route.pdf").id,
        "session_id": session.id,
        "speaker_id": session.speakers[0].id,
        "question_id": question.id,
        "walk_in_id": walk_in.id,
        "rsvp_id": db.session.scalar(
            sa.select(Rsvp.id).where(Rsvp.event_id == event.id, Rsvp.user_id == gus.id)
        ),
        "user_id": gus.id,
        "token": pass_token(event.id, gus.id),
        "poll_id": poll.id,
        "option_id": option_ids(poll)[-1],
        "sent": make_announcement(group, owner, event=event).id,
        "waiting": make_announcement(group, owner, event=event, in_days=30).id,
        "cohost_id": other_cohost.id,
    }


def group_things(group, owner, member, asking):
    """One of everything of a group's own."""
    poll = make_poll(group, slots=slots_from_now(3))
    invitation, _link = make_invitation(group, "guest@example.org", inviter=owner)
    membership = add_member(group, member)
    return {
        "slug": group.slug,
        "poll_id": poll.id,
        "option_id": option_ids(poll)[0],
        "sent": make_announcement(group, owner).id,
        "waiting": make_announcement(group, owner, in_days=30).id,
        "membership_id": membership.id,
        # A fellow member to report: someone of this world, whatever ids came before it.
        "user_id": owner.id,
        "request_id": add_member(group, asking, status="pending").id,
        "invitation_id": invitation.id,
        "series_id": make_series(owner, group, RepeatRule("MONTHLY", count=2)).series_id,
    }


def build_world(tag):
    """The Walkers (G) with their Night walks E (Ada co-hosts it, with Dee) and F (Cy
    co-hosts it), and the Choir (H) with its concert X; Ada and Bo members of both, Gus
    going to each event. The addresses of Ada, Ines and Bo, and the places' values."""
    person = {
        name: make_user(email=f"{name}.{tag}@example.org", first_name=name.title())
        for name in ("olu", "zoe", "ines", "ada", "bo", "cy", "dee", "gus", "pat", "kit")
    }
    walkers = make_group(person["olu"], name="Walkers", visibility="private")
    choir = make_group(person["zoe"], name="Choir")
    add_member(walkers, person["ines"], role="organiser")
    for name in ("ada", "cy", "dee", "gus"):
        add_member(walkers, person[name])
    for name in ("ada", "bo", "gus"):
        add_member(choir, person[name])
    mine = make_event(walkers, title="Night walk")
    theirs = make_event(walkers, title="Night walk")
    concert = make_event(choir, title="Concert")
    make_cohost(mine, person["ada"], added_by=person["olu"])
    make_cohost(mine, person["dee"], added_by=person["olu"])
    make_cohost(theirs, person["cy"], added_by=person["olu"])
    places = {
        "E": event_things(walkers, mine, person["olu"], person["gus"], person["dee"]),
        "F": event_things(walkers, theirs, person["olu"], person["gus"], person["cy"]),
        "X": event_things(choir, concert, person["zoe"], person["gus"], person["gus"]),
        "G": group_things(walkers, person["olu"], person["bo"], person["pat"]),
        "H": group_things(choir, person["zoe"], person["kit"], person["pat"]),
    }
    emails = {
        role: person[name].email
        for role, name in (("cohost", "ada"), ("organiser", "ines"), ("member", "bo"))
    }
    return emails, {name: Place(**values) for name, values in places.items()}


def places_of(rule):
    """Where a route may act: an event's places, a group's, or none (its own)."""
    arguments = set(rule.arguments)
    if arguments & EVENT_ARGUMENTS or (rule.endpoint == "events.checkin.scan"):
        return EVENT_PLACES
    if arguments & {"poll_id", "announcement_id"}:
        return (*EVENT_PLACES, *GROUP_PLACES)
    if arguments & GROUP_ARGUMENTS:
        return GROUP_PLACES
    return ("-",)


def answer(response):
    """What a request got, ids aside: (status, where a redirect leads). A group's address
    is its slug, which the first world to take a name gets bare (a new group's)."""
    location = response.headers.get("Location", "").split("?", 1)[0]
    location = re.sub(r"^/groups/[^/]+", "/groups/S", location)
    return response.status_code, re.sub(r"\d+", "N", location)


def refused(got):
    status, location = got
    return status in (403, 404) or (status in (302, 303) and location == "/login")


def test_a_cohost_can_do_exactly_their_events_actions(app):
    with app.app_context():
        worlds = {role: build_world(role) for role in ("cohost", "organiser", "member")}
    clients = {}
    for role, (emails, _places) in worlds.items():
        client = app.test_client()
        assert Auth(client).login(emails[role]).status_code == 303
        clients[role] = (client, client.csrf_token())
    none = Place()
    sends = sorted(
        (
            (last_rank(rule.endpoint, method), rule.endpoint, method, place, rule)
            for rule, method in routes(app)
            if rule.endpoint != "static"
            for place in places_of(rule)
        ),
        key=lambda send: send[:4],
    )

    got = {}
    for _rank, endpoint, method, place, rule in sends:
        # Ines is compared on E alone: the rest of her world is left as built.
        roles = ("cohost", "member", "organiser") if place == "E" else ("cohost", "member")
        for role in roles:
            client, token = clients[role]
            places = worlds[role][1]
            url = path(rule, places[place] if place != "-" else none)
            app.extensions["hearth_limiter"].reset()
            response = request(client, method, url, token, FORM_DATA)
            got[role, endpoint, method, place, rule.rule] = answer(response)

    differ = []
    cohost_may, refused_elsewhere = set(), set()
    for (role, endpoint, method, place, rule), ada in sorted(got.items()):
        if role != "cohost":
            continue
        bo = got["member", endpoint, method, place, rule]
        organisers_only = endpoint.startswith(ORGANISERS_ONLY)
        if place == "E" and not organisers_only:
            ines = got["organiser", endpoint, method, place, rule]
            if ada != ines:
                differ.append(f"{method} {rule} on E: co-host {ada}, organiser {ines}")
            if not refused(ada) and refused(bo):
                cohost_may.add((endpoint, method))
        elif ada != bo:
            differ.append(f"{method} {rule} on {place}: co-host {ada}, member {bo}")
        # Another event's (of the group, or of another group): refused, as to a member.
        if place in ("F", "X") and (endpoint, method) in COHOST_MAY:
            if refused(ada):
                refused_elsewhere.add((endpoint, method, place))
            else:
                differ.append(f"{method} {rule} on {place}: co-host let in, {ada}")
    assert not differ, "\n".join(differ)
    assert cohost_may == COHOST_MAY, (
        f"more: {sorted(cohost_may - COHOST_MAY)}; fewer: {sorted(COHOST_MAY - cohost_may)}"
    )
    assert refused_elsewhere == {(*key, place) for key in COHOST_MAY for place in ("F", "X")}
    # Every route was sent, each in every place it may be.
    assert {key[1:3] for key in got} == {(r.endpoint, m) for r, m in routes(app)} - {
        ("static", "GET")
    }
