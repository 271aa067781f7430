"""Seeded events and answers: past and upcoming, in several time zones, with waitlists.

Dates are fixed around the seed's ANCHOR like every other seeded date; "upcoming" events
run up to three years past it, so they stay upcoming for as long as the seed is used.
One big event of the big group has exactly BIG_EVENT_GOING people going and
BIG_EVENT_WAITING on its waitlist, with the seeded owner among those going.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slugify import slugify

from webapp.extensions import db
from webapp.seed import ANCHOR, BIG_GROUP_SLUG, SMALL_GROUP_SLUG
from webapp.seed.text import description
from webapp.web.markdown import render_markdown

# Per unit of scale: 50,000 events at scale 10.
EVENTS = 5_000
# The first event written, so it has id 1 in the fresh database a seed needs.
BIG_EVENT_ID = 1
BIG_EVENT_TITLE = "Commons Winter Gathering"
BIG_EVENT_SLUG = slugify(BIG_EVENT_TITLE)
BIG_EVENT_GOING = 200
BIG_EVENT_WAITING = 50
BIG_EVENT_MAYBE = 30
TIME_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
# One kind in eight: a search that finds a share of all events (titles and descriptions).
EVENT_SEARCH_TERM = "picnic"
KINDS = ("Meetup", "Workshop", "Picnic", "Walk", "Repair Café", "Quiz Night", "Talk", "Swap")
# Rendering Markdown for every event would make a big seed slow: a pool of
# descriptions, each rendered once, is shared.
DESCRIPTION_POOL = 200


def _table(name):
    return db.metadata.tables[name]


def local_start(rng, zone_name, days_from_anchor):
    """A start at a round local hour (10:00-19:00) in the zone, as UTC."""
    zone = ZoneInfo(zone_name)
    day = (ANCHOR + timedelta(days=days_from_anchor)).astimezone(zone).date()
    local = datetime(day.year, day.month, day.day, rng.randint(10, 19), tzinfo=zone)
    return local.astimezone(ANCHOR.tzinfo)


def _answers(rng, event, member_ids):
    """Answers to event from some of member_ids, counters set on event to match."""
    capacity = event["capacity"]
    people = rng.sample(member_ids, min(len(member_ids), rng.randint(0, 24)))
    rows = []
    for user_id in people:
        wants = rng.choices(("going", "maybe", "not_going"), weights=(6, 2, 1))[0]
        guests = min(rng.choice((0, 0, 0, 1, 2)), event["guests_allowed"])
        rows.append(_answer(event, user_id, wants, guests, capacity))
    return rows


def _answer(event, user_id, wants, guests, capacity):
    """One answer; going past the capacity waits in line, as the RSVP rules do."""
    ticket = None
    if wants == "going" and capacity is not None and event["places_taken"] + 1 + guests > capacity:
        wants = "waitlisted"
        event["waitlist_tickets"] += 1
        ticket = event["waitlist_tickets"]
    counter = {"going": "going_count", "waitlisted": "waitlist_count", "maybe": "maybe_count"}
    if wants in counter:
        event[counter[wants]] += 1
    if wants == "going":
        event["places_taken"] += 1 + guests
    answered = min(event["published_at"] + timedelta(hours=1 + user_id % 500), event["starts_at"])
    return {
        "event_id": event["id"],
        "user_id": user_id,
        "answer": wants,
        "guests": guests if wants in ("going", "waitlisted") else 0,
        "waitlist_ticket": ticket,
        "answered_at": answered,
        "created_at": answered,
    }


def _event_row(seed, rng, event_id, group, title, starts_at, zone, pool):
    text, html = pool[event_id % len(pool)]
    duration = timedelta(hours=rng.choice((1, 2, 2, 3, 4)))
    status = rng.choices(("published", "cancelled", "draft"), weights=(90, 5, 5))[0]
    created = min(starts_at - timedelta(days=rng.randint(3, 60)), ANCHOR)
    return {
        "id": event_id,
        "group_id": group["id"],
        "title": title,
        "slug": slugify(title, max_length=60),
        "description": text,
        "description_html": html,
        "venue": f"{rng.choice(('Town Hall', 'Library', 'Park Café', 'Community Centre'))}",
        "address": f"{rng.randint(1, 200)} High Street",
        "online_url": "",
        "starts_at": starts_at,
        "ends_at": starts_at + duration,
        "time_zone": zone,
        "capacity": None if rng.random() < 0.4 else rng.randint(5, 60),
        "rsvp_deadline": None,
        "guests_allowed": rng.choice((0, 0, 1, 2)),
        "status": status,
        "places_taken": 0,
        "going_count": 0,
        "waitlist_count": 0,
        "maybe_count": 0,
        "waitlist_tickets": 0,
        # From 0, not the clock: the same rows every run (the seeder forgets live topics).
        "rsvp_version": 0,
        "created_by_id": group["members"][0],
        "created_at": created,
        "updated_at": created,
        "published_at": None if status == "draft" else created,
        "cancelled_at": created if status == "cancelled" else None,
        "deleted_at": None,
    }


def _big_event(seed, event_id, group, pool):
    starts_at = local_start(seed.rng("big-event"), "Europe/London", 400)
    event = _event_row(
        seed,
        seed.rng("big-event"),
        event_id,
        group,
        BIG_EVENT_TITLE,
        starts_at,
        "Europe/London",
        pool,
    )
    capacity = BIG_EVENT_GOING
    event.update(status="published", capacity=capacity, guests_allowed=0, cancelled_at=None)
    event["published_at"] = event["created_at"]
    members = group["members"]
    rows = [_answer(event, user_id, "going", 0, capacity) for user_id in members[:capacity]]
    waiting = members[capacity : capacity + BIG_EVENT_WAITING]
    rows += [_answer(event, user_id, "going", 0, capacity) for user_id in waiting]
    maybe = members[capacity + BIG_EVENT_WAITING : capacity + BIG_EVENT_WAITING + BIG_EVENT_MAYBE]
    rows += [_answer(event, user_id, "maybe", 0, capacity) for user_id in maybe]
    return event, rows


def events(seed):
    """EVENTS per scale over the groups, about 40% past; answers from their members."""
    rng = seed.rng("events")
    active_members = seed.active_members()
    pool_rng = seed.rng("event-descriptions")
    pool = []
    for number in range(DESCRIPTION_POOL):
        text = description(pool_rng, f"our {KINDS[number % len(KINDS)].lower()}")
        pool.append((text, str(render_markdown(text))))
    by_slug = {group["slug"]: group for group in seed.groups}
    big_group, small_group = by_slug[BIG_GROUP_SLUG], by_slug[SMALL_GROUP_SLUG]
    next_id = seed.next_id(_table("events"))
    big, answers = _big_event(seed, next_id, big_group, pool)
    rows = [big]
    next_id += 1
    # Every group but the big one takes its share; the small one always has a few.
    hosts = [small_group] * 6 + [g for g in seed.groups if g is not big_group]
    for number in range(seed.size(EVENTS) - 1):
        group = hosts[number] if number < 6 else rng.choice(hosts)
        zone = rng.choice(TIME_ZONES)
        days = rng.randint(-730, 1095) if number >= 6 else 10 + 7 * number
        title = f"{rng.choice(KINDS)}: {group['name']}"[:150]
        event = _event_row(
            seed, rng, next_id, group, title, local_start(rng, zone, days), zone, pool
        )
        if event["status"] != "draft":
            answers += _answers(rng, event, active_members[group["id"]])
        rows.append(event)
        next_id += 1
    first_answer = seed.next_id(_table("rsvps"))
    for offset, answer in enumerate(answers):
        answer["id"] = first_answer + offset
    seed.insert(_table("events"), rows)
    seed.events = rows
    seed.insert(_table("rsvps"), answers)
    # Seeded people are not to be mailed: every reminder counts as sent, so no sweep
    # (a worker's, or the web process's without Redis) reminds thousands of them.
    seed.insert(
        _table("event_mail_states"),
        [{"event_id": row["id"], "sequence": 0, "reminded_at": ANCHOR} for row in rows],
    )
