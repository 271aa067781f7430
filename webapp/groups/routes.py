"""Finding, creating, joining and leaving groups."""

import sqlalchemy as sa
from flask import flash, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.forms import EmptyForm
from webapp.groups import bp
from webapp.groups.access import can_manage, get_group
from webapp.groups.forms import GroupForm
from webapp.groups.models import Group, Membership
from webapp.groups.services import GroupError, create_group, join_group, leave_group
from webapp.htmx import redirect_to, render, render_form, wants_fragment

PER_PAGE = 20


def visible_groups(user, query="", mine=False):
    """Live groups the user may see (their own only, if mine), matching query."""
    statement = sa.select(Group).where(Group.deleted_at.is_(None)).order_by(Group.name, Group.id)
    if user.is_authenticated:
        my_groups = sa.select(Membership.group_id).where(
            Membership.user_id == user.id, Membership.status == "active"
        )
        if mine:
            statement = statement.where(Group.id.in_(my_groups))
        elif not user.is_site_admin:
            statement = statement.where(
                sa.or_(Group.visibility == "public", Group.id.in_(my_groups))
            )
    else:
        statement = statement.where(Group.visibility == "public")
    if query:
        needle = query.lower()
        statement = statement.where(
            sa.or_(
                sa.func.lower(Group.name).contains(needle, autoescape=True),
                sa.func.lower(Group.description).contains(needle, autoescape=True),
            )
        )
    return statement


@bp.get("/groups")
def index():
    """All groups one may see, searchable as one types; or only one's own."""
    query = request.args.get("q", "").strip()[:100]
    mine = request.args.get("scope") == "mine" and current_user.is_authenticated
    page = db.paginate(
        visible_groups(current_user, query, mine),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    counts = member_counts([group.id for group in page.items])
    return render(
        "groups/index.html",
        "groups/_results.html",
        page=page,
        query=query,
        mine=mine,
        counts=counts,
    )


def member_counts(group_ids):
    rows = db.session.execute(
        sa.select(Membership.group_id, sa.func.count())
        .where(Membership.group_id.in_(group_ids), Membership.status == "active")
        .group_by(Membership.group_id)
    )
    return dict(rows.all())


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new():
    """Start a group; its creator becomes its owner."""
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = create_group(
                current_user,
                form.name.data,
                form.slug.data,
                form.description.data,
                form.visibility.data,
                form.join_policy.data,
            )
        except GroupError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(f"{group.name} is ready. Invite people to join it.", "success")
            return redirect_to(url_for("groups.detail", slug=group.slug))
    return render_form("groups/new.html", "groups/_group_form.html", form)


@bp.get("/groups/<slug>")
def detail(slug):
    """A group's page: about, members, organisers and the join button."""
    group, membership = get_group(slug)
    return render(
        "groups/detail.html", "groups/_membership.html", **detail_context(group, membership)
    )


def detail_context(group, membership):
    managers = db.session.scalars(
        sa.select(Membership)
        .options(selectinload(Membership.user))
        .where(
            Membership.group_id == group.id,
            Membership.status == "active",
            Membership.role.in_(("owner", "organiser")),
        )
        .order_by(Membership.role.desc(), Membership.created_at)
    ).all()
    return {
        "group": group,
        "membership": membership,
        "managers": managers,
        "member_count": member_counts([group.id]).get(group.id, 0),
        "can_manage": can_manage(current_user, membership),
    }


def membership_panel(group):
    """After joining or leaving: the button swaps in place, or the page reloads without JS."""
    if not wants_fragment():
        return redirect_to(url_for("groups.detail", slug=group.slug))
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.group_id == group.id, Membership.user_id == current_user.id
        )
    )
    return render(
        "groups/detail.html", "groups/_membership.html", **detail_context(group, membership)
    )


@bp.post("/groups/<slug>/join")
@login_required
def join(slug):
    """Join an open group, or ask to join one that needs approval."""
    group, membership = get_group(slug)
    if EmptyForm().validate_on_submit():
        try:
            status = join_group(current_user, group, membership)
        except GroupError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                f"Welcome to {group.name}!"
                if status == "active"
                else "Your request is sent. The organisers will decide soon.",
                "success",
            )
    return membership_panel(group)


@bp.route("/groups/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave(slug):
    """GET asks first (a page, or a dialog with JavaScript); POST leaves or withdraws."""
    group, membership = get_group(slug)
    if request.method == "GET":
        return render(
            "groups/leave.html", "groups/_leave.html", **detail_context(group, membership)
        )
    left = False
    if EmptyForm().validate_on_submit():
        try:
            leave_group(current_user, group, membership)
        except GroupError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"You left {group.name}.", "info")
            left = True
    if left and not group.is_public and not current_user.is_site_admin:
        # A private group disappears from view once you are out of it.
        return redirect_to(url_for("groups.index"))
    return membership_panel(group)
