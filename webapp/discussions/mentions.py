"""Mentions: "@ana-ruiz" names the member of the group whose name reads so (their first
and last names, lower case, words joined by dashes). A comment's mentions are linked
when it is written; those named follow the thread and are told."""

import re

import sqlalchemy as sa
from markupsafe import escape
from slugify import slugify

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Membership, MembershipStatus

# "@" after a space, a line's start or an opening bracket; not in an address (ana@x.org).
MENTION = re.compile(r"(?<![\w@.])@([a-z0-9]+(?:-[a-z0-9]+)*)", re.IGNORECASE)
# A comment names at most this many people: more is a shout, not a mention.
MOST_MENTIONED = 10


def handle_of(user):
    """How a comment names user: "ana-ruiz"."""
    return slugify(f"{user.first_name} {user.last_name}") or f"member-{user.id}"


def handles_in(text):
    """The handles text names, in order, each once."""
    found = []
    for match in MENTION.finditer(text or ""):
        handle = match.group(1).lower()
        if handle not in found:
            found.append(handle)
    return found[:MOST_MENTIONED]


def members_named(group, text):
    """{handle: user} of the group's active members (active accounts) text names; the
    first by join order where two share a name. Only names are read, and only when text
    names someone."""
    handles = handles_in(text)
    if not handles:
        return {}
    rows = db.session.execute(
        sa.select(User.id, User.first_name, User.last_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == group.id,
            Membership.status == MembershipStatus.ACTIVE,
            User.active.is_(True),
        )
        .order_by(Membership.id)
    ).all()
    ids = {}
    for user_id, first, last in rows:
        handle = slugify(f"{first} {last}")
        if handle in handles and handle not in ids:
            ids[handle] = user_id
    users = {
        user.id: user
        for user in db.session.scalars(sa.select(User).where(User.id.in_(ids.values())))
    }
    return {handle: users[user_id] for handle, user_id in ids.items()}


def link_mentions(html, named):
    """html (rendered, sanitised) with each known @handle outside tags shown as the
    member's name."""
    if not named:
        return html

    def replace(match):
        user = named.get(match.group(1).lower())
        if user is None:
            return match.group(0)
        return f'<strong class="mention">@{escape(user.name)}</strong>'

    # Only text between tags: an @ inside a link's address stays as it is.
    parts = re.split(r"(<[^>]*>)", str(html))
    return "".join(part if part.startswith("<") else MENTION.sub(replace, part) for part in parts)
