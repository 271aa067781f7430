"""Organisers' pages about people: members, requests to join, and the history."""

from flask import flash, g, request, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.groups import manage
from webapp.groups.access import can_own, managed_membership, membership_of
from webapp.groups.forms import RoleForm
from webapp.groups.membership import change_role, decide_request, remove_member
from webapp.groups.models import Role
from webapp.groups.queries import history_of, members_of, requests_to_join
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.pagination import paginate
from webapp.web.panels import column_values
from webapp.web.translating import gettext as _
from webapp.web.url_patterns import url_for_each

HISTORY_PER_PAGE = 50
# A page of the table costs what its rows (each a form) cost to render: 20 members and
# the 5 oldest requests keep it near the cost of other pages, whatever the group's size.
MEMBERS_PER_PAGE = 20
REQUESTS_SHOWN = 5


def members_context(query="", row=None):
    """The members table's context; row: the one membership rendered alone (htmx)."""
    page = paginate(members_of(g.group, query), per_page=MEMBERS_PER_PAGE)
    shown = [row] if row is not None else page.items
    return {
        # What other features add to each row (how often they came, say): read for the
        # rows shown, a statement each.
        "columns": column_values(
            "groups.manage.members", group=g.group, user_ids=[m.user_id for m in shown]
        ),
        # Two addresses on each row: built once per table (url_for on every row was a
        # tenth of the page).
        "role_url": url_for_each("groups.manage.set_role", "membership_id", slug=g.group.slug),
        "remove_url": url_for_each("groups.manage.remove", "membership_id", slug=g.group.slug),
        "group": g.group,
        "membership": membership_of(current_user, g.group),
        "query": query,
        "page": page,
        "active": page.items,
        # Most groups have no request waiting: no query for those.
        "pending": (
            requests_to_join(g.group, query, limit=REQUESTS_SHOWN) if g.group.pending_count else []
        ),
        "requests_shown": REQUESTS_SHOWN,
        "is_owner": can_own(current_user, g.group),
        # Each row lists the roles: their labels translated once for the page, and the
        # row's fixed words (its cells' labels, its buttons) too.
        "role_choices": [(value, str(label)) for value, label in Role.choices()],
        "row_words": {
            "name": _("Name"),
            "email": _("Email"),
            "role": _("Role"),
            "joined": _("Joined"),
            "you": _("(you)"),
            "save": _("Save"),
            "remove": _("Remove"),
        },
    }


@manage.get("/members")
def members():
    """The members table a page at a time, searchable, with pending requests on top."""
    query = request.args.get("q", "").strip()[:100]
    return render(
        "groups/manage/members.html",
        "groups/manage/_members_table.html",
        **members_context(query),
    )


def member_row(subject, status=200):
    """One table row for htmx; without JavaScript, back to the table (a refusal: 422 there)."""
    if not wants_fragment() and status < 400:
        return redirect_to(url_for("groups.manage.members", slug=g.group.slug))
    return render(
        "groups/manage/members.html",
        "groups/manage/_member_row.html",
        status=status,
        subject=subject,
        **members_context(row=subject),
    )


@manage.post("/members/<int:membership_id>/role")
def set_role(membership_id):
    """Change a member's role inline."""
    subject = managed_membership(membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a valid role."), "error")
        return member_row(subject, 422)
    confirmed = request.form.get("confirm") == "yes" or not can_own(current_user, g.group)
    if form.role.data == Role.OWNER != subject.role and not confirmed:
        # One slip of an arrow key must not hand over the group: ask first.
        response = render(
            "groups/manage/confirm_owner.html",
            "groups/manage/_confirm_owner.html",
            group=g.group,
            subject=subject,
        )
        response.headers.update({"HX-Retarget": "#confirm-dialog", "HX-Reswap": "innerHTML"})
        return response
    try:
        change_role(current_user, g.group, subject, form.role.data)
    except RuleError as error:
        refuse(error)
        return member_row(managed_membership(membership_id), 422)
    flash(now_in_role(subject), "success")
    return member_row(subject)


def now_in_role(subject):
    """What a change of role tells the organiser: one whole sentence per role."""
    name = subject.user.name
    if subject.role == Role.OWNER:
        return _("%(name)s is now owner.", name=name)
    if subject.role == Role.ORGANISER:
        return _("%(name)s is now organiser.", name=name)
    return _("%(name)s is now member.", name=name)


@manage.route("/members/<int:membership_id>/remove", methods=["GET", "POST"])
def remove(membership_id):
    """GET asks for confirmation (without JavaScript); POST removes."""
    subject = managed_membership(membership_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return render(
            "groups/manage/remove.html",
            "groups/manage/_remove.html",
            status=422 if form.is_submitted() else 200,
            group=g.group,
            subject=subject,
            form=form,
        )
    try:
        remove_member(current_user, g.group, subject)
    except RuleError as error:
        refuse(error)
    else:
        flash(_("%(name)s is no longer a member.", name=subject.user.name), "success")
    return redirect_to(url_for("groups.manage.members", slug=g.group.slug))


@manage.post("/requests/<int:membership_id>/<any(approve, decline):decision>")
def decide(membership_id, decision):
    """Approve or decline a request to join."""
    subject = managed_membership(membership_id)
    if EmptyForm().validate_on_submit():
        name = subject.user.name
        try:
            decide_request(current_user, g.group, subject, decision == "approve")
        except RuleError as error:
            refuse(error)
        else:
            if decision == "approve":
                flash(_("%(name)s: request approved.", name=name), "success")
            else:
                flash(_("%(name)s: request declined.", name=name), "success")
    return redirect_to(url_for("groups.manage.members", slug=g.group.slug))


@manage.get("/history")
def history():
    """Every change to membership: who, what, when."""
    page = paginate(history_of(g.group), per_page=HISTORY_PER_PAGE)
    return render(
        "groups/manage/history.html",
        "groups/manage/_history.html",
        group=g.group,
        membership=membership_of(current_user, g.group),
        page=page,
    )
