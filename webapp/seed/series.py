"""Seeded series: weekly meetups whose dates are events, so that the lists show each
series once among the other events, as an instance that has used series for a while does.

Their dates are fixed around the seed's ANCHOR like every other seeded date, half a year
of weeks from about then; the lists' folds (webapp.events.series.folding) are written
with the rows, for the moment the seed is made. The first series belongs to the big group,
and people of that group answered each of its dates (the benchmark's series page).
"""

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slugify import slugify

from webapp.database.times import utcnow
from webapp.events.series.folding import shown_and_folded
from webapp.extensions import db
from webapp.seed import ANCHOR, BIG_GROUP_SLUG
from webapp.seed.events import KINDS, TIME_ZONES, _answers

# Per unit of scale; each series has DATES_PER_SERIES weekly dates.
SERIES = 1_000
DATES_PER_SERIES = 26
BIG_SERIES_ID = 1
BIG_SERIES_TITLE = "Commons Weekly Meetup"
BIG_SERIES_SLUG = slugify(BIG_SERIES_TITLE)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _table(name):
    return db.metadata.tables[name]


def _series_row(rng, series_id, group, title, first_date, zone):
    starts_time = time(rng.randint(17, 20))
    last = first_date + timedelta(weeks=DATES_PER_SERIES - 1)
    return {
        "id": series_id,
        "group_id": group["id"],
        "rule": f"FREQ=WEEKLY;BYDAY={WEEKDAYS[first_date.weekday()]};COUNT={DATES_PER_SERIES}",
        "first_date": first_date,
        "time_zone": zone,
        "starts_time": starts_time,
        "duration_minutes": 120,
        "rsvp_closes_minutes_before": None,
        "title": title,
        "description": "",
        "venue": rng.choice(("Town Hall", "Library", "Park Café", "Community Centre")),
        "address": "",
        "online_url": "",
        "capacity": None if rng.random() < 0.4 else rng.randint(8, 40),
        "guests_allowed": 0,
        "published_at": ANCHOR - timedelta(days=30),
        "made_until": last,
        "complete": True,
        "refold_at": None,
        "answer_tickets": 0,
        "created_by_id": group["members"][0],
        "created_at": ANCHOR - timedelta(days=30),
        "updated_at": ANCHOR - timedelta(days=30),
    }


def _date_row(series, event_id, day):
    local = datetime.combine(day, series["starts_time"]).replace(
        tzinfo=ZoneInfo(series["time_zone"])
    )
    starts_at = local.astimezone(UTC)
    return {
        "id": event_id,
        "group_id": series["group_id"],
        "title": series["title"],
        "slug": slugify(series["title"], max_length=60),
        "description": "",
        "description_html": "",
        "venue": series["venue"],
        "address": "",
        "online_url": "",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=series["duration_minutes"]),
        "time_zone": series["time_zone"],
        "capacity": series["capacity"],
        "rsvp_deadline": None,
        "guests_allowed": 0,
        "status": "published",
        "places_taken": 0,
        "going_count": 0,
        "waitlist_count": 0,
        "maybe_count": 0,
        "waitlist_tickets": 0,
        "rsvp_version": 0,
        "created_by_id": series["created_by_id"],
        "created_at": series["created_at"],
        "updated_at": series["created_at"],
        "published_at": series["published_at"],
        "cancelled_at": None,
        "deleted_at": None,
        "series_id": series["id"],
        "series_date": day,
        "series_detached": False,
        "series_folded": False,
    }


def series(seed):
    """SERIES per scale over the groups, the first in the big group with its dates
    answered; then each series' dates folded under its next one."""
    rng = seed.rng("series")
    by_slug = {group["slug"]: group for group in seed.groups}
    big_group = by_slug[BIG_GROUP_SLUG]
    hosts = [g for g in seed.groups if g is not big_group]
    next_series = seed.next_id(_table("event_series"))
    next_event = seed.next_id(_table("events"))
    series_rows, date_rows, answers = [], [], []
    members = seed.active_members()
    for number in range(seed.size(SERIES)):
        group = big_group if number == 0 else rng.choice(hosts)
        title = (
            BIG_SERIES_TITLE
            if number == 0
            else f"Weekly {rng.choice(KINDS).lower()}: {group['name']}"[:150]
        )
        first_date = ANCHOR.date() + timedelta(days=rng.randint(-21, 21))
        row = _series_row(rng, next_series, group, title, first_date, rng.choice(TIME_ZONES))
        series_rows.append(row)
        for week in range(DATES_PER_SERIES):
            date = _date_row(row, next_event, first_date + timedelta(weeks=week))
            if number == 0:
                answers += _answers(rng, date, members[group["id"]])
            date_rows.append(date)
            next_event += 1
        next_series += 1
    first_answer = seed.next_id(_table("rsvps"))
    for offset, answer in enumerate(answers):
        answer["id"] = first_answer + offset
    _fold(series_rows, date_rows, utcnow())
    seed.insert(_table("event_series"), series_rows)
    seed.insert(_table("events"), date_rows)
    seed.insert(_table("rsvps"), answers)
    # As for the other seeded events: no sweep reminds thousands of made-up people.
    seed.insert(
        _table("event_mail_states"),
        [{"event_id": row["id"], "sequence": 0, "reminded_at": ANCHOR} for row in date_rows],
    )


def _fold(series_rows, date_rows, now):
    """Each series' dates folded under the one lists show, as fold_dates would leave them
    (written with the rows rather than by a statement a series: a large seed has many)."""
    dates_of = defaultdict(list)
    for date in date_rows:
        dates_of[date["series_id"]].append(date)
    for row in series_rows:
        coming = [d for d in sorted(dates_of[row["id"]], key=_by_start) if d["ends_at"] > now]
        shown, folded = shown_and_folded([(d["id"], d["status"] == "cancelled") for d in coming])
        folded = set(folded)
        for date in coming:
            date["series_folded"] = date["id"] in folded
        row["refold_at"] = coming[shown]["ends_at"] if folded else None


def _by_start(date):
    return date["starts_at"], date["id"]
