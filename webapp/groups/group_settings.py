"""Owners' and organisers' page for a group's settings, ownership and deletion."""

import sqlalchemy as sa
from flask import flash, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from webapp.extensions import db
from webapp.groups import bp
from webapp.groups.access import MANAGE, OWN, can_own, get_group
from webapp.groups.forms import DeleteGroupForm, GroupForm, TransferForm
from webapp.groups.manage import get_membership
from webapp.groups.models import Membership
from webapp.groups.services import GroupError, delete_group, transfer_ownership, update_group
from webapp.htmx import redirect_to, render


@bp.route("/groups/<slug>/manage/settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    """Name, address, description, visibility and join policy."""
    group, membership = get_group(slug, MANAGE)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        try:
            update_group(
                current_user,
                group,
                form.name.data,
                form.slug.data or group.slug,
                form.description.data,
                form.visibility.data,
                form.join_policy.data,
            )
        except GroupError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash("The group's settings are saved.", "success")
            return redirect_to(url_for("groups.settings", slug=group.slug))
    return settings_page(group, membership, "groups/manage/_settings_form.html", group_form=form)


def settings_page(group, membership, fragment, **forms):
    """The settings page, or the fragment of the form that was posted, 422 if it has errors."""
    is_owner = can_own(current_user, membership)
    # Organisers see no owner actions, so they need neither the forms nor the member query.
    forms = {**(owner_forms(group) if is_owner else {}), **forms}
    forms.setdefault("group_form", GroupForm(obj=group, formdata=None))
    submitted_with_errors = request.method == "POST" and any(
        f.errors for f in forms.values() if hasattr(f, "errors")
    )
    return render(
        "groups/manage/settings.html",
        fragment,
        status=422 if submitted_with_errors else 200,
        group=group,
        membership=membership,
        is_owner=is_owner,
        **forms,
    )


def owner_forms(group):
    transfer = TransferForm(prefix="transfer")
    transfer.new_owner.choices = [
        SelectChoice(m.id, m.user.name)
        for m in db.session.scalars(
            sa.select(Membership)
            .options(selectinload(Membership.user))
            .where(
                Membership.group_id == group.id,
                Membership.status == "active",
                Membership.role != "owner",
            )
        )
    ]
    return {"transfer_form": transfer, "delete_form": DeleteGroupForm(prefix="delete")}


@bp.post("/groups/<slug>/manage/transfer")
@login_required
def transfer(slug):
    """Hand the group to another member; the owner becomes an organiser."""
    group, membership = get_group(slug, OWN)
    forms = owner_forms(group)
    form = forms["transfer_form"]
    if form.validate_on_submit():
        new_owner = get_membership(group, form.new_owner.data)
        try:
            transfer_ownership(current_user, membership, group, new_owner)
        except GroupError as error:
            db.session.rollback()
            form.new_owner.errors.append(error.message)
        else:
            db.session.commit()
            flash(f"{new_owner.user.name} now owns {group.name}.", "success")
            return redirect_to(url_for("groups.settings", slug=group.slug))
    return settings_page(group, membership, "groups/manage/_owner_actions.html", **forms)


@bp.post("/groups/<slug>/manage/delete")
@login_required
def delete(slug):
    """Delete the group, confirmed by typing its name. It is kept, hidden."""
    group, membership = get_group(slug, OWN)
    forms = owner_forms(group)
    form = forms["delete_form"]
    if form.validate_on_submit():
        try:
            delete_group(current_user, group, form.confirm_name.data)
        except GroupError as error:
            form.confirm_name.errors.append(error.message)
        else:
            db.session.commit()
            flash(f"{group.name} is deleted.", "info")
            return redirect_to(url_for("groups.index"))
    return settings_page(group, membership, "groups/manage/_owner_actions.html", **forms)
