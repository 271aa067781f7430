"""Seeded polls and votes: plain and date polls, of groups and of events, open and closed,
one choice or several, with their counters set from the votes written, as the voting rules
would have left them.

Closed polls closed before the seed's ANCHOR; open ones close years after it, or when an
organiser closes them, so they stay open for as long as the seed is used. One big poll of
the big group (BIG_POLL_ID) is open with BIG_POLL_VOTERS votes per unit of scale, and
leaves at least VOTE_RUSH members of the group without a vote: the bench's vote rush is
theirs.
"""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from webapp.events.times import span_text
from webapp.extensions import db
from webapp.seed import ANCHOR, BIG_GROUP_SLUG, SMALL_GROUP_SLUG, ago
from webapp.seed.events import TIME_ZONES, local_start
from webapp.seed.text import DATE_POLL_QUESTIONS, POLL_DESCRIPTIONS, POLL_QUESTIONS
from webapp.web.markdown import render_markdown

# Per unit of scale: 10,000 polls at scale 10, besides the big one.
POLLS = 1_000
# The first poll written, so it has id 1 in the fresh database a seed needs.
BIG_POLL_ID = 1
BIG_POLL_QUESTION = "Where should the Commons meet this winter?"
BIG_POLL_OPTIONS = (
    "The town hall",
    "The library's big room",
    "The community centre",
    "The Park Café",
    "Somewhere new each time",
)
# Uneven, so the bars differ as real results do.
BIG_POLL_WEIGHTS = (35, 25, 20, 12, 8)
BIG_POLL_VOTERS = 3_000
# Members of the big group left without a vote in the big poll, at the least.
VOTE_RUSH = 100
# Voters of any other poll, at most: a group's poll is answered by a handful.
MOST_VOTERS = 24
# A date poll's members answer every slot: "one choice" means nothing there.
KINDS = (("plain", "single"), ("plain", "multiple"), ("date", "multiple"))
# (kind, choice, on an event, open): the first polls take one each, so even the smallest
# seed has every sort; the rest are drawn.
SHAPES = [
    (kind, choice, on_event, is_open)
    for kind, choice in KINDS
    for on_event in (False, True)
    for is_open in (True, False)
]
SLOT_ANSWERS = ("yes", "if_need_be", "no")


def _table(name):
    return db.metadata.tables[name]


class PollWriter:
    """Builds polls, options and votes with their ids, counting as it goes."""

    def __init__(self, seed):
        self.poll_id = seed.next_id(_table("polls"))
        self.option_id = seed.next_id(_table("poll_options"))
        self.vote_id = seed.next_id(_table("poll_votes"))
        self.polls, self.options, self.votes = [], [], []
        self.descriptions = [(text, str(render_markdown(text))) for text in POLL_DESCRIPTIONS]

    def poll(self, rng, **fields):
        """A poll row from fields (group_id, question, kind, choice, created_at...)."""
        text, html = self.descriptions[self.poll_id % len(self.descriptions)]
        row = {
            "id": self.poll_id,
            "event_id": None,
            "description": text,
            "description_html": html,
            "max_choices": None,
            "results_shown": rng.choices(
                ("at_once", "after_voting", "after_closing"), weights=(6, 2, 1)
            )[0],
            "time_zone": "UTC",
            "closes_at": None,
            "closed_at": None,
            # A seeded poll closed long ago: its result was mailed then, not by the sweep now.
            "results_mailed_at": fields.get("closed_at"),
            "voter_count": 0,
            # From 0, not the clock: the same rows every run (the seeder forgets live topics).
            "results_version": 0,
            **fields,
        }
        row["updated_at"] = row["closed_at"] or row["created_at"]
        self.poll_id += 1
        self.polls.append(row)
        return row

    def options_of(self, poll, labels_or_slots, zone=None):
        """The poll's options in order: labels, or (start, end) slots shown on zone's clocks."""
        made = []
        for position, item in enumerate(labels_or_slots):
            starts_at, ends_at = item if zone is not None else (None, None)
            made.append(
                {
                    "id": self.option_id,
                    "poll_id": poll["id"],
                    "position": position,
                    "label": item if zone is None else span_text(starts_at, ends_at, zone),
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "yes_count": 0,
                    "if_need_be_count": 0,
                }
            )
            self.option_id += 1
        self.options += made
        return made

    def vote(self, poll, option, user_id, answer, voted_at):
        self.votes.append(
            {
                "id": self.vote_id,
                "poll_id": poll["id"],
                "option_id": option["id"],
                "user_id": user_id,
                "choice": poll["choice"],
                "answer": answer,
                "voted_at": voted_at,
            }
        )
        self.vote_id += 1
        if answer == "yes":
            option["yes_count"] += 1
        elif answer == "if_need_be":
            option["if_need_be_count"] += 1

    def ballot(self, rng, poll, options, user_id, weights):
        """user_id's vote in poll, as the voting rules would store it."""
        end = poll["closed_at"] or ANCHOR
        span = int((end - poll["created_at"]).total_seconds())
        voted_at = poll["created_at"] + timedelta(seconds=rng.randint(0, span))
        poll["voter_count"] += 1
        if poll["kind"] == "date":
            # Every slot is answered; one left blank is stored as no, as the rules do.
            for option in options:
                self.vote(poll, option, user_id, rng.choices(SLOT_ANSWERS, (5, 2, 3))[0], voted_at)
            return
        if poll["choice"] == "single":
            chosen = rng.choices(options, weights)
        else:
            chosen = rng.sample(options, rng.randint(1, poll["max_choices"] or len(options)))
        for option in chosen:
            self.vote(poll, option, user_id, "yes", voted_at)


def _times(rng, is_open, earliest):
    """(created_at, closes_at, closed_at) of a poll made after earliest."""
    earliest = min(earliest, ago(1))
    if is_open:
        created = max(ago(rng.randint(1, 90), rng.randint(0, 86_399)), earliest)
        return created, None if rng.random() < 0.5 else ago(-rng.randint(365, 1095)), None
    created = max(ago(rng.randint(20, 700), rng.randint(0, 86_399)), earliest)
    closed = min(created + timedelta(days=rng.randint(3, 20)), ANCHOR)
    # Half closed at their closing time, half by an organiser's hand.
    return created, closed if rng.random() < 0.5 else None, closed


def _slots(rng, poll, event):
    """A date poll's slots, (start, end) in UTC on round local hours, in time order."""
    days = sorted(rng.sample(range(-7, 8), rng.randint(2, 5)))
    if event is None:
        # An open poll asks about the weeks to come, a closed one about those after it opened.
        made = 0 if poll["closed_at"] is None else (poll["created_at"] - ANCHOR).days
        first = made + rng.randint(14, 60)
        starts = [local_start(rng, poll["time_zone"], first + day) for day in days]
        return [(start, start + timedelta(hours=2)) for start in starts]
    if poll["closed_at"] and 0 not in days:
        # Closed on its event: one slot is the event's time, as when it was made its date.
        days = sorted([0, *days[1:]])
    local = event["starts_at"].astimezone(ZoneInfo(poll["time_zone"]))
    length = event["ends_at"] - event["starts_at"]
    # Days added on the local clock: a slot keeps its hour across a change of the clocks.
    starts = [(local + timedelta(days=day)).astimezone(UTC) for day in days]
    return [(start, start + length) for start in starts]


def _drawn_poll(rng, writer, shape, group, event, members):
    kind, choice, _, is_open = shape
    created, closes_at, closed_at = _times(
        rng, is_open, (event or group)["created_at"] + timedelta(hours=1)
    )
    if kind == "date":
        question, labels = rng.choice(DATE_POLL_QUESTIONS), ()
    else:
        question, labels = rng.choice(POLL_QUESTIONS)
    poll = writer.poll(
        rng,
        group_id=group["id"],
        event_id=event["id"] if event else None,
        question=question,
        kind=kind,
        choice=choice,
        time_zone=event["time_zone"] if event else rng.choice(TIME_ZONES),
        closes_at=closes_at,
        closed_at=closed_at,
        created_by_id=event["created_by_id"] if event else group["members"][0],
        created_at=created,
    )
    if kind == "date":
        options = writer.options_of(poll, _slots(rng, poll, event), ZoneInfo(poll["time_zone"]))
    else:
        options = writer.options_of(poll, labels)
        if choice == "multiple" and rng.random() < 0.5:
            poll["max_choices"] = rng.randint(2, len(options) - 1)
    weights = [0.1 + rng.random() for _ in options]
    for user_id in rng.sample(members, min(len(members), rng.randint(0, MOST_VOTERS))):
        writer.ballot(rng, poll, options, user_id, weights)


def _big_poll(seed, writer, group, members):
    """Open until an organiser closes it, with votes from the group's first members."""
    rng = seed.rng("big-poll")
    poll = writer.poll(
        rng,
        group_id=group["id"],
        question=BIG_POLL_QUESTION,
        kind="plain",
        choice="single",
        results_shown="at_once",
        time_zone="Europe/London",
        created_by_id=members[0],
        created_at=ago(14),
    )
    options = writer.options_of(poll, BIG_POLL_OPTIONS)
    voters = max(0, min(seed.size(BIG_POLL_VOTERS), len(members) - VOTE_RUSH))
    for user_id in members[:voters]:
        writer.ballot(rng, poll, options, user_id, BIG_POLL_WEIGHTS)


def _drawn_shape(rng):
    kind, choice = rng.choices(KINDS, weights=(5, 2, 3))[0]
    return kind, choice, rng.random() < 0.4, rng.random() < 0.5


def polls(seed):
    """POLLS per scale over the groups and their published events; the big poll first."""
    writer = PollWriter(seed)
    active = seed.active_members()
    by_id = {group["id"]: group for group in seed.groups}
    by_slug = {group["slug"]: group for group in seed.groups}
    big, small = by_slug[BIG_GROUP_SLUG], by_slug[SMALL_GROUP_SLUG]
    _big_poll(seed, writer, big, active[big["id"]])
    rng = seed.rng("polls")
    # The big group keeps to its big poll (and its big event to none), so the bench's
    # pages of both show what they showed before polls, plus that one poll.
    hosts = [group for group in seed.groups if group is not big]
    events = [e for e in seed.events if e["status"] == "published" and e["group_id"] != big["id"]]
    upcoming = [event for event in events if event["starts_at"] > ANCHOR]
    # The small group's own events first: the first polls, one of each shape, are its.
    events.sort(key=lambda event: event["group_id"] != small["id"])
    upcoming.sort(key=lambda event: event["group_id"] != small["id"])
    for number in range(seed.size(POLLS, minimum=len(SHAPES))):
        drawn = number >= len(SHAPES)
        shape = _drawn_shape(rng) if drawn else SHAPES[number]
        on_event, is_open = shape[2], shape[3]
        pool = upcoming if is_open else events
        event, group = None, small
        if on_event and pool:
            event = rng.choice(pool if drawn else pool[:6])
            group = by_id[event["group_id"]]
        elif drawn:
            group = rng.choice(hosts)
        _drawn_poll(rng, writer, shape, group, event, active[group["id"]])
    seed.insert(_table("polls"), writer.polls)
    seed.insert(_table("poll_options"), writer.options)
    seed.insert(_table("poll_votes"), writer.votes)
