"""Which groups the open web shows: public ones that are live and not suspended."""

from flask import abort, redirect, request, url_for

from webapp.extensions import db
from webapp.groups.models import Group, GroupSlug
from webapp.open_web.versions import group_and_version

# What an old address's query says that its new one must say too (a feed's search word, an
# embedded list's theme).
KEPT_ARGUMENTS = ("q", "theme")


def public_group(slug):
    """(group, its feeds' version) for a public group that is live and not suspended;
    an old address of one moves to its new one; 404 for anything else."""
    group, version = group_and_version(slug)
    if group is None:
        moved = db.session.get(GroupSlug, slug)
        group = db.session.get(Group, moved.group_id) if moved else None
        if group is not None and is_public(group):
            arguments = dict(request.view_args)
            for name in KEPT_ARGUMENTS:
                if value := request.args.get(name):
                    arguments[name] = value
            if request.view_args:
                arguments["slug"] = group.slug
            else:
                arguments["group"] = group.slug
            abort(redirect(url_for(request.endpoint, **arguments), 301))
        abort(404)
    if not is_public(group):
        abort(404)
    return group, version


def is_public(group):
    """Whose events the open web may show: a public group that is live and not suspended."""
    return group.is_on_the_open_web
