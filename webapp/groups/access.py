"""Loading a group and deciding who may see or manage it: one place, so no view forgets."""

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_login import current_user

from webapp.extensions import db
from webapp.groups.models import Group, GroupSlug, Membership

VISIBLE, MANAGE, OWN = "visible", "manage", "own"


def membership_of(user, group):
    """The user's membership in group (active or pending), or None."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def is_site_admin(user):
    return user.is_authenticated and user.is_site_admin


def can_see(user, group, membership):
    return group.is_public or is_site_admin(user) or bool(membership and membership.is_active)


def can_manage(user, membership):
    return is_site_admin(user) or bool(membership and membership.can_manage)


def can_own(user, membership):
    return is_site_admin(user) or bool(membership and membership.is_owner)


def get_group(slug, need=VISIBLE):
    """The live group at slug for the current user, or the answer they get instead.

    A private group answers 404 to anyone not in it: even its existence is private.
    An old slug redirects to the group's current address.
    """
    group = db.session.scalar(sa.select(Group).where(Group.slug == slug))
    if group is None:
        moved = db.session.get(GroupSlug, slug)
        target = db.session.get(Group, moved.group_id) if moved else None
        if target is not None and target.deleted_at is None:
            arguments = {**request.view_args, "slug": target.slug}
            abort(redirect(url_for(request.endpoint, **arguments), 301))
        abort(404)
    if group.deleted_at is not None:
        abort(404)
    membership = membership_of(current_user, group)
    if not can_see(current_user, group, membership):
        abort(404)
    if need == MANAGE and not can_manage(current_user, membership):
        abort(403)
    if need == OWN and not can_own(current_user, membership):
        abort(403)
    return group, membership


def lock_group(group):
    """Serialise changes to one group's members (PostgreSQL row lock; SQLite locks writes)."""
    db.session.execute(sa.select(Group.id).where(Group.id == group.id).with_for_update())
