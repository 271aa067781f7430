"""One function per family of tables, run in order; a later feature appends its own.

Each reads what earlier ones left on the Seed and writes its rows with seed.insert.
"""

import hashlib
from datetime import timedelta

from slugify import slugify

from webapp.extensions import db
from webapp.groups.summary import summary_of
from webapp.seed import (
    BIG_GROUP_MEMBERS,
    BIG_GROUP_SLUG,
    GROUPS,
    MID_GROUP_MEMBERS,
    MID_GROUP_SLUG,
    SEED_PASSWORD_HASH,
    SMALL_GROUP_MEMBERS,
    SMALL_GROUP_SLUG,
    USERS,
    ago,
    seed_email,
)
from webapp.seed.discussions import discussions as seed_discussions
from webapp.seed.events import events as seed_events
from webapp.seed.polls import polls as seed_polls
from webapp.seed.series import series as seed_series
from webapp.seed.tasks import tasks as seed_tasks
from webapp.seed.text import description, group_name, person_name
from webapp.web.markdown import render_markdown

# The owner of the big group also belongs to this many other groups (their home page).
OWNER_OTHER_GROUPS = 10
INVITATION_LIFE = timedelta(days=7)


def table(name):
    return db.metadata.tables[name]


def users(seed):
    """USERS per scale, all verified, all with the shared password."""
    rng = seed.rng("users")
    first_id = seed.next_id(table("users"))
    rows = []
    for number in range(1, seed.size(USERS) + 1):
        first, last = person_name(rng)
        created = ago(rng.randint(30, 900), rng.randint(0, 86_399))
        email = seed_email(number)
        rows.append(
            {
                "id": first_id + number - 1,
                "email": email,
                "email_normalized": email,
                "first_name": first,
                "last_name": last,
                "password_hash": SEED_PASSWORD_HASH,
                "email_verified_at": created,
                "active": True,
                "is_site_admin": False,
                "time_zone": "UTC",
                "appearance": "system",
                "email_notifications": True,
                "created_at": created,
            }
        )
    seed.user_ids = [row["id"] for row in rows]
    seed.insert(table("users"), rows)


def _group_specs(seed, rng):
    """(slug, name, size, visibility, policy) for each group: the three named ones first."""
    user_count = len(seed.user_ids)
    specs = [
        (BIG_GROUP_SLUG, "Hearth Commons", seed.size(BIG_GROUP_MEMBERS), "public", "open"),
        (MID_GROUP_SLUG, "Good Neighbours", seed.size(MID_GROUP_MEMBERS), "public", "open"),
        (SMALL_GROUP_SLUG, "Tuesday Knitters", SMALL_GROUP_MEMBERS, "public", "approval"),
    ]
    for number in range(len(specs), seed.size(GROUPS, minimum=len(specs))):
        name = group_name(rng)
        # Most groups are small; a few are large.
        size = rng.randint(3, 60) if rng.random() < 0.9 else rng.randint(100, 800)
        visibility = "private" if rng.random() < 0.1 else "public"
        policy = rng.choices(("open", "approval", "invitation"), weights=(7, 2, 1))[0]
        specs.append((f"{slugify(name)[:60]}-{number}", name, size, visibility, policy))
    # Never more than the users there are besides the first (tiny scales).
    return [(slug, name, min(size, user_count - 1), *rest) for slug, name, size, *rest in specs]


def groups(seed):
    """GROUPS per scale with Markdown descriptions; one big, one mid-sized, one small."""
    rng = seed.rng("groups")
    first_id = seed.next_id(table("groups"))
    owner = seed.user_ids[0]
    rows = []
    for index, (slug, name, size, visibility, policy) in enumerate(_group_specs(seed, rng)):
        created = ago(rng.randint(400, 1000))
        if index < 2:
            # The big and the mid-sized group: the first users, owner first.
            members = seed.user_ids[:size]
        else:
            members = rng.sample(seed.user_ids[1:], size)
            if index <= OWNER_OTHER_GROUPS + 2:
                members[-1] = owner  # a member, not the owner, of a few more groups
        rows.append(
            {
                "id": first_id + index,
                "name": name,
                "slug": slug,
                "description": description(rng, name),
                "visibility": visibility,
                "join_policy": policy,
                "created_at": created,
                "deleted_at": None,
            }
        )
        seed.groups.append(
            {
                "id": rows[-1]["id"],
                "slug": slug,
                "name": name,
                "created_at": created,
                "policy": policy,
                "members": members,
            }
        )
    if "description_html" in table("groups").c:
        # Where the schema stores the description rendered once, at write time, so does
        # the seed, with the app's own renderer.
        for row in rows:
            row["description_html"] = str(render_markdown(row["description"]))
            row["summary"] = summary_of(row["description_html"])
    seed.insert(table("groups"), rows)


def memberships(seed):
    """The first member owns the group, a couple organise it; some ask to join."""
    rng = seed.rng("memberships")
    next_id = seed.next_id(table("memberships"))
    rows = []
    for group in seed.groups:
        for position, user_id in enumerate(group["members"]):
            role = "owner" if position == 0 else "organiser" if position <= 2 else "member"
            pending = group["policy"] == "approval" and role == "member" and rng.random() < 0.05
            rows.append(
                {
                    "id": next_id,
                    "group_id": group["id"],
                    "user_id": user_id,
                    "role": role,
                    "status": "pending" if pending else "active",
                    "created_at": group["created_at"] + timedelta(days=rng.randint(0, 399)),
                }
            )
            next_id += 1
    seed.memberships = rows
    seed.insert(table("memberships"), rows)


def invitations(seed):
    """A few invitations per group: pending, accepted, revoked and expired."""
    rng = seed.rng("invitations")
    next_id = seed.next_id(table("invitations"))
    rows = []
    for group in seed.groups:
        for _ in range(rng.randint(0, 4)):
            email = f"guest-{next_id}@invited.example.org"
            fate = rng.choice(("pending", "pending", "accepted", "revoked", "expired"))
            sent = ago(rng.randint(30, 60) if fate == "expired" else rng.randint(0, 20))
            rows.append(
                {
                    "id": next_id,
                    "group_id": group["id"],
                    "email": email,
                    "email_normalized": email,
                    "role": rng.choice(("member", "member", "organiser")),
                    "message": "Come and join us!" if rng.random() < 0.5 else "",
                    "nonce_hash": hashlib.sha256(f"seed-invitation-{next_id}".encode()).hexdigest(),
                    "invited_by_id": group["members"][0],
                    "created_at": sent,
                    "last_sent_at": sent,
                    # Pending ones stay pending whenever the seed runs: dates are fixed.
                    "expires_at": ago(-3650) if fate == "pending" else sent + INVITATION_LIFE,
                    "accepted_at": sent if fate == "accepted" else None,
                    "revoked_at": sent if fate == "revoked" else None,
                }
            )
            next_id += 1
    seed.insert(table("invitations"), rows)


def history(seed):
    """Each group's creation, then one line per membership (joined, or asked to join), in
    the audit log (a group's history is the audit log for it)."""
    next_id = seed.next_id(table("audit_log"))
    rows = []

    def line(group_id, actor, action, when):
        nonlocal next_id
        rows.append(
            {
                "id": next_id,
                "group_id": group_id,
                "actor_id": actor,
                "action": action,
                # What people did themselves: the subject is the actor, whose name shows.
                "subject_type": "user",
                "subject_id": actor,
                "data": {},
                "created_at": when,
            }
        )
        next_id += 1

    for group in seed.groups:
        line(group["id"], group["members"][0], "created", group["created_at"])
    for membership in seed.memberships:
        if membership["role"] != "owner":
            action = "requested" if membership["status"] == "pending" else "joined"
            line(membership["group_id"], membership["user_id"], action, membership["created_at"])
    seed.insert(table("audit_log"), rows)


FAMILIES = [
    users,
    groups,
    memberships,
    invitations,
    history,
    seed_events,
    seed_polls,
    seed_tasks,
    seed_series,
    seed_discussions,
]
