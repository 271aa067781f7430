"""The admin's pages that read: the counts, people, groups and the audit log."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import request

from webapp.accounts.models import User, normalize_email
from webapp.admin import bp
from webapp.admin.forms import AuditFilterForm, SearchForm
from webapp.admin.queries import (
    audit_listing,
    groups_by_id,
    groups_listing,
    site_counts,
    users_listing,
)
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.web.htmx import render
from webapp.web.pagination import paginate
from webapp.web.translating import gettext as _

PER_PAGE = 25


@bp.get("")
def index():
    """How the site is doing, in a few numbers."""
    return render("admin/index.html", "admin/_counts.html", counts=site_counts())


def searched_list(page_template, fragment_template, listing):
    """A searchable list: a page of it, or 422 with the search's message beside it."""
    form = SearchForm()
    if not form.validate():
        return render(page_template, fragment_template, status=422, form=form, page=None, query="")
    query = form.q.data.lower()
    page = paginate(listing(query), per_page=PER_PAGE)
    return render(page_template, fragment_template, form=form, page=page, query=form.q.data)


@bp.get("/users")
def users():
    """Everyone, searchable by name or address, with what an admin can do to them."""
    return searched_list("admin/users.html", "admin/_users.html", users_listing)


@bp.get("/groups")
def groups():
    """Every group not deleted, suspended ones too, searchable by name or description."""
    return searched_list("admin/groups.html", "admin/_groups.html", groups_listing)


@bp.get("/audit")
def audit():
    """The audit log, newest first, with filters by who, what, which group and when."""
    form = AuditFilterForm()
    filters = audit_filters(form) if form.validate() else None
    if filters is None:
        return render("admin/audit.html", "admin/_audit.html", status=422, form=form, page=None)
    page = paginate(audit_listing(**filters), per_page=PER_PAGE)
    groups = groups_by_id({entry.group_id for entry in page.items if entry.group_id})
    args = {name: value for name, value in request.args.items() if name not in ("page",)}
    return render(
        "admin/audit.html", "admin/_audit.html", form=form, page=page, groups=groups, args=args
    )


def audit_filters(form):
    """The filters the form names, as audit_listing takes them; None (and messages beside
    the fields) when an address or a group names nobody."""
    filters = {"action": form.action.data or None}
    if form.actor.data:
        actor_id = db.session.scalar(
            sa.select(User.id).where(User.email_normalized == normalize_email(form.actor.data))
        )
        if actor_id is None:
            form.actor.errors.append(_("Nobody has that address."))
            return None
        filters["actor_id"] = actor_id
    if form.group.data:
        group_id = db.session.scalar(sa.select(Group.id).where(Group.slug == form.group.data))
        if group_id is None:
            form.group.errors.append(_("No group has that address."))
            return None
        filters["group_id"] = group_id
    if form.since.data:
        filters["since"] = datetime.combine(form.since.data, datetime.min.time(), UTC)
    if form.until.data:
        filters["until"] = datetime.combine(form.until.data, datetime.min.time(), UTC) + timedelta(
            days=1
        )
    return filters
