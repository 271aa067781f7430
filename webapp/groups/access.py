"""Who may do what with a group: see it, take part in it, manage it, own it.

Events, polls, tasks and files inherit these answers from their group. The viewer's
membership is read once per request and forgotten at the next write of a membership
(flush) or rollback, so asking several questions costs one query and an answer never
outlives a change.
"""

import sqlalchemy as sa
from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from webapp.database.prefetch import forget_when_written, prefetched
from webapp.database.setup import prepared
from webapp.extensions import db
from webapp.groups.models import Group, GroupSlug, Membership
from webapp.groups.queries import membership_in

forget_when_written("memberships", Membership)


def membership_of(user, group):
    """The user's membership in group (active or pending), or None."""
    if not user.is_authenticated:
        return None
    known = prefetched("memberships")
    key = (user.id, group.id)
    if key not in known:
        known[key] = db.session.scalar(
            sa.select(Membership).where(
                Membership.group_id == group.id, Membership.user_id == user.id
            )
        )
    return known[key]


def remember_membership(user, group, membership):
    """A membership read along with something else (an event and its group, in one query):
    membership_of answers from it without a query of its own."""
    prefetched("memberships")[(user.id, group.id)] = membership


def is_site_admin(user):
    return user.is_authenticated and user.is_site_admin


def can_see(user, group):
    """A live group that is public, or private with the user in it; a suspended group
    only for site admins."""
    if not group.is_live:
        return False
    if is_site_admin(user):
        return True
    if group.is_suspended:
        return False
    if group.is_public:
        return True
    membership = membership_of(user, group)
    return bool(membership and membership.is_active)


def can_take_part(user, group):
    """Active members join in: they RSVP, vote, take tasks and upload files (not in a
    suspended group: it is frozen)."""
    membership = membership_of(user, group)
    return group.is_open and bool(membership and membership.is_active)


def can_manage(user, group):
    """Owners, organisers and site admins, while the group is open (suspended: frozen)."""
    return group.is_open and (
        is_site_admin(user) or bool((m := membership_of(user, group)) and m.can_manage)
    )


def can_own(user, group):
    return group.is_open and (
        is_site_admin(user) or bool((m := membership_of(user, group)) and m.is_owner)
    )


class ReadWithMembership:
    """One object by a statement built once, and the viewer's membership in its group read
    by the same query and remembered, so membership_of asks the database nothing more.

    Built at import: making a joined statement anew costs more than running it, on the
    pages every visit opens. statement takes its values as bind parameters; group_id is
    the column naming the object's group, group_of gives its group from the object.
    """

    def __init__(self, statement, group_id, group_of=lambda found: found, also=None):
        viewer = sa.and_(
            Membership.group_id == group_id, Membership.user_id == sa.bindparam("viewer_id")
        )
        # A lookup by key: kept prepared (webapp.database.setup.prepared).
        self.alone = prepared(statement)
        with_membership = statement.add_columns(Membership).outerjoin(Membership, viewer)
        self.remember_also = None
        self.also_many = False
        if also is not None:
            # More about the viewer in the same query: also.add(statement) adds columns
            # (bind parameter viewer_id), also.remember(user, found, *their values) keeps
            # them; with also.many, the rows are several (one per option of a poll, say)
            # and also.remember(user, found, [their values in each row]) keeps them all.
            with_membership = also.add(with_membership)
            self.remember_also = also.remember
            self.also_many = getattr(also, "many", False)
        self.with_membership = prepared(with_membership)
        self.group_of = group_of

    def __call__(self, **values):
        """The first object (or None) for these bind parameter values."""
        if not current_user.is_authenticated:
            return db.session.scalar(self.alone, values)
        result = db.session.execute(self.with_membership, {**values, "viewer_id": current_user.id})
        rows = result.all() if self.also_many else [result.first()]
        if not rows or rows[0] is None:
            return None
        thing, membership, *more = rows[0]
        remember_membership(current_user, self.group_of(thing), membership)
        if self.also_many:
            self.remember_also(current_user, thing, [tuple(row[2:]) for row in rows])
        elif self.remember_also is not None:
            self.remember_also(current_user, thing, *more)
        return thing


_group_at = ReadWithMembership(sa.select(Group).where(Group.slug == sa.bindparam("slug")), Group.id)


def find_group(slug):
    """The live group at slug for the current user: 404 when it is not theirs to see.

    An old slug moves to the group's current address, but only for someone who may see
    the group (a private group's old name tells outsiders nothing), and with 308 for a
    form post, which a 301 would turn into a GET.
    """
    group = _group_at(slug=slug)
    if group is None:
        moved = db.session.get(GroupSlug, slug)
        target = db.session.get(Group, moved.group_id) if moved else None
        if target is not None and can_see(current_user, target):
            arguments = {**request.view_args, "slug": target.slug}
            status = 301 if request.method in ("GET", "HEAD") else 308
            abort(redirect(url_for(request.endpoint, **arguments), status))
        abort(404)
    if not can_see(current_user, group):
        abort(404)
    return group


def get_group(slug, need=can_see):
    """find_group, then 403 unless need(current_user, group) holds."""
    group = find_group(slug)
    if not need(current_user, group):
        abort(403)
    return group


def managed_membership(membership_id):
    """A membership of the group the manage blueprint loaded (g.group), or 404."""
    return membership_in(g.group, membership_id) or abort(404)
