"""Groups, memberships and invitations for tests, made straight in the database."""

import itertools
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import URLSafeSerializer

from webapp.accounts.models import hash_token, normalize_email
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import Group, Invitation, Membership
from webapp.groups.services import set_description

_sequence = itertools.count(1)


def make_group(owner, name=None, visibility="public", join_policy="open", description="", **fields):
    """A committed group with `owner` as its active owner; call inside an app context."""
    number = next(_sequence)
    name = name or f"Group {number}"
    slug = fields.pop("slug", None) or f"group-{number}-{owner.id}"
    group = Group(name=name, slug=slug, visibility=visibility, join_policy=join_policy, **fields)
    set_description(group, description)
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=owner.id, role="owner", status="active"))
    db.session.commit()
    # Loaded now, so tests can read them after their app context is gone.
    loaded(group, owner)
    return group


def add_member(group, user, role="member", status="active"):
    """A committed membership of `user` in `group`; call inside an app context."""
    membership = Membership(group_id=group.id, user_id=user.id, role=role, status=status)
    db.session.add(membership)
    db.session.commit()
    loaded(membership, group, user)
    return membership


def loaded(*objects):
    """Reload objects a later commit expired, so they stay readable outside the app context."""
    for thing in objects:
        # Objects from an earlier app context are detached: their attributes never expired.
        if thing in db.session:
            db.session.refresh(thing)
    return objects


def make_invitation(group, email, role="member", inviter=None):
    """A committed pending invitation and the path its email link opens, as (invitation, path)."""
    nonce = secrets.token_urlsafe(24)
    now = utcnow()
    invitation = Invitation(
        group_id=group.id,
        email=email,
        email_normalized=normalize_email(email),
        role=role,
        nonce_hash=hash_token(nonce),
        invited_by_id=inviter.id if inviter else None,
        created_at=now,
        last_sent_at=now,
        expires_at=now + timedelta(days=7),
    )
    db.session.add(invitation)
    db.session.commit()
    loaded(invitation, group)
    # Signed as webapp/groups/invitations.py signs the links it emails.
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="hearth.invitation")
    return invitation, "/invitations/" + serializer.dumps(nonce)


def settings_form(name, slug, **changes):
    """A group's settings form as its organisers send it: a public, open group keeping
    answers 30 days, with changes."""
    return {
        "name": name,
        "slug": slug,
        "description": "",
        "visibility": "public",
        "join_policy": "open",
        "answers_kept_days": "30",
        **changes,
    }
