"""Organisers' pages: members, requests to join, and the history of membership."""

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager, selectinload

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.forms import EmptyForm
from webapp.groups import bp
from webapp.groups.access import MANAGE, can_own, get_group
from webapp.groups.forms import RoleForm
from webapp.groups.models import Membership, MembershipEvent
from webapp.groups.services import (
    GroupError,
    change_role,
    decide_request,
    remove_member,
)
from webapp.htmx import redirect_to, render, wants_fragment


def get_membership(group, membership_id):
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.group_id != group.id:
        abort(404)
    return membership


def members_context(group, membership, query=""):
    statement = (
        sa.select(Membership)
        .options(contains_eager(Membership.user))
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id)
        .order_by(Membership.status.desc(), User.first_name, User.last_name, User.id)
    )
    if query:
        needle = query.lower()
        statement = statement.where(
            sa.or_(
                sa.func.lower(User.first_name + " " + User.last_name).contains(
                    needle, autoescape=True
                ),
                User.email_normalized.contains(needle, autoescape=True),
            )
        )
    memberships = db.session.scalars(statement).all()
    return {
        "group": group,
        "membership": membership,
        "query": query,
        "active": [m for m in memberships if m.is_active],
        "pending": [m for m in memberships if not m.is_active],
        "is_owner": can_own(current_user, membership),
    }


@bp.get("/groups/<slug>/manage/members")
@login_required
def members(slug):
    """The members table, searchable, with pending requests on top."""
    group, membership = get_group(slug, MANAGE)
    query = request.args.get("q", "").strip()[:100]
    return render(
        "groups/manage/members.html",
        "groups/manage/_members_table.html",
        **members_context(group, membership, query),
    )


def member_row(group, membership, subject, status=200):
    """One table row for htmx; without JavaScript, back to the table (a refusal: 422 there)."""
    if not wants_fragment() and status < 400:
        return redirect_to(url_for("groups.members", slug=group.slug))
    context = members_context(group, membership)
    return render(
        "groups/manage/members.html",
        "groups/manage/_member_row.html",
        status=status,
        subject=subject,
        **context,
    )


@bp.post("/groups/<slug>/manage/members/<int:membership_id>/role")
@login_required
def set_role(slug, membership_id):
    """Change a member's role inline."""
    group, membership = get_group(slug, MANAGE)
    subject = get_membership(group, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose a valid role.", "error")
        return member_row(group, membership, subject, 422)
    confirmed = request.form.get("confirm") == "yes" or not can_own(current_user, membership)
    if form.role.data == "owner" != subject.role and not confirmed:
        # One slip of an arrow key must not hand over the group: ask first.
        response = render(
            "groups/manage/confirm_owner.html",
            "groups/manage/_confirm_owner.html",
            group=group,
            subject=subject,
        )
        response.headers.update({"HX-Retarget": "#confirm-dialog", "HX-Reswap": "innerHTML"})
        return response
    try:
        change_role(current_user, membership, group, subject, form.role.data)
    except GroupError as error:
        db.session.rollback()
        flash(error.message, "error")
        return member_row(group, membership, db.session.get(Membership, subject.id), 422)
    db.session.commit()
    flash(f"{subject.user.name} is now {subject.role}.", "success")
    return member_row(group, membership, subject)


@bp.route("/groups/<slug>/manage/members/<int:membership_id>/remove", methods=["GET", "POST"])
@login_required
def remove(slug, membership_id):
    """GET asks for confirmation (without JavaScript); POST removes."""
    group, membership = get_group(slug, MANAGE)
    subject = get_membership(group, membership_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return render(
            "groups/manage/remove.html",
            "groups/manage/_remove.html",
            status=422 if form.is_submitted() else 200,
            group=group,
            subject=subject,
            form=form,
        )
    try:
        remove_member(current_user, membership, group, subject)
    except GroupError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect_to(url_for("groups.members", slug=group.slug))
    db.session.commit()
    flash(f"{subject.user.name} is no longer a member.", "success")
    return redirect_to(url_for("groups.members", slug=group.slug))


@bp.post("/groups/<slug>/manage/requests/<int:membership_id>/<any(approve, decline):decision>")
@login_required
def decide(slug, membership_id, decision):
    """Approve or decline a request to join."""
    group, _ = get_group(slug, MANAGE)
    subject = get_membership(group, membership_id)
    if EmptyForm().validate_on_submit():
        try:
            decide_request(current_user, group, subject, decision == "approve")
        except GroupError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"{subject.user.name}: request {decision}d.", "success")
    return redirect_to(url_for("groups.members", slug=group.slug))


@bp.get("/groups/<slug>/manage/history")
@login_required
def history(slug):
    """Every change to membership: who, what, when."""
    group, membership = get_group(slug, MANAGE)
    page = db.paginate(
        sa.select(MembershipEvent)
        .options(selectinload(MembershipEvent.actor), selectinload(MembershipEvent.subject))
        .where(MembershipEvent.group_id == group.id)
        .order_by(MembershipEvent.created_at.desc(), MembershipEvent.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=50,
        error_out=False,
    )
    return render(
        "groups/manage/history.html",
        "groups/manage/_history.html",
        group=group,
        membership=membership,
        page=page,
    )
