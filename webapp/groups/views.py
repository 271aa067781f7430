"""Finding, starting, joining and leaving groups, and following an invitation link."""

from flask import flash, request, session, url_for
from flask_login import current_user, login_required

from webapp.accounts.links import link_problem
from webapp.accounts.tokens import TokenError
from webapp.database.unit_of_work import RuleError, refuse
from webapp.extensions import db
from webapp.groups import bp
from webapp.groups.access import can_manage, find_group, membership_of
from webapp.groups.forms import GroupForm
from webapp.groups.invitations import accept, find_invitation
from webapp.groups.membership import join_group, leave_group
from webapp.groups.models import MembershipStatus
from webapp.groups.previews import group_preview
from webapp.groups.queries import managers_of, visible_groups
from webapp.groups.services import create_group
from webapp.web.forms import EmptyForm
from webapp.web.hooks import cacheable_for_visitors
from webapp.web.htmx import redirect_to, render, render_form, wants_fragment
from webapp.web.pagination import paginate
from webapp.web.panels import panel_context
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _
from webapp.web.url_patterns import url_for_each

PER_PAGE = 20


@bp.get("/groups")
def index():
    """All groups one may see, searchable as one types; or only one's own."""
    query = request.args.get("q", "").strip()[:100]
    mine = request.args.get("scope") == "mine" and current_user.is_authenticated
    listing, values = visible_groups(current_user, query, mine)
    page = paginate(listing, per_page=PER_PAGE, values=values)
    return render(
        "groups/index.html",
        "groups/_results.html",
        page=page,
        query=query,
        mine=mine,
        group_url=url_for_each("groups.detail", "slug"),
    )


@bp.route("/groups/new", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_CONTENT", per_user=True)
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
                announce_new_events=form.announce_new_events.data,
                answers_kept_days=form.answers_kept_days.data,
                allows_guests=form.allows_guests.data,
            )
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("%(group)s is ready. Invite people to join it.", group=group.name), "success")
            return redirect_to(url_for("groups.detail", slug=group.slug))
    return render_form("groups/new.html", "groups/_group_form.html", form)


@bp.get("/groups/<slug>")
@cacheable_for_visitors
def detail(slug):
    """A group's page: about, next events, members, organisers and the join button."""
    group = find_group(slug)
    context = detail_context(group)
    return render(
        "groups/detail.html",
        "groups/_membership.html",
        **context,
        preview=group_preview(group),
        # The group's events and polls: panels their features add (events/panels.py...).
        **panel_context("groups.detail", group=group, can_manage=context["can_manage"]),
    )


def detail_context(group):
    return {
        "group": group,
        "membership": membership_of(current_user, group),
        "managers": managers_of(group),
        "member_count": group.member_count,
        "can_manage": can_manage(current_user, group),
    }


def membership_panel(group):
    """After joining or leaving: the button swaps in place, or the page reloads without JS."""
    if not wants_fragment():
        return redirect_to(url_for("groups.detail", slug=group.slug))
    # The database's triggers changed the count under the loaded group: read it again.
    db.session.refresh(group, ["member_count"])
    return render("groups/detail.html", "groups/_membership.html", **detail_context(group))


@bp.post("/groups/<slug>/join")
@rate_limited("RATE_LIMIT_JOIN", per_user=True)
@login_required
def join(slug):
    """Join an open group, or ask to join one that needs approval."""
    group = find_group(slug)
    if EmptyForm().validate_on_submit():
        try:
            status = join_group(current_user, group)
        except RuleError as error:
            refuse(error)
        else:
            flash(
                _("Welcome to %(group)s!", group=group.name)
                if status == MembershipStatus.ACTIVE
                else _("Your request is sent. The organisers will decide soon."),
                "success",
            )
    return membership_panel(group)


@bp.route("/groups/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave(slug):
    """GET asks first (a page, or a dialog with JavaScript); POST leaves or withdraws."""
    group = find_group(slug)
    if request.method == "GET":
        return render("groups/leave.html", "groups/_leave.html", **detail_context(group))
    if EmptyForm().validate_on_submit():
        try:
            leave_group(current_user, group)
        except RuleError as error:
            refuse(error)
        else:
            flash(_("You left %(group)s.", group=group.name), "info")
            if not group.is_public and not current_user.is_site_admin:
                # A private group disappears from view once you are out of it.
                return redirect_to(url_for("groups.index"))
    return membership_panel(group)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    """The page an invitation link opens: accept, or sign up or log in first."""
    try:
        found = find_invitation(token)
    except TokenError as error:
        return link_problem(error, "invitation")
    form = EmptyForm()
    # The invitation is for one address: a forwarded link lets nobody else in.
    someone_else = (
        current_user.is_authenticated and current_user.email_normalized != found.email_normalized
    )
    if current_user.is_authenticated and not someone_else and form.validate_on_submit():
        try:
            group = accept(current_user, found)
        except TokenError as error:
            return link_problem(error, "invitation")
        flash(_("Welcome to %(group)s!", group=group.name), "success")
        return redirect_to(url_for("groups.detail", slug=group.slug))
    if not current_user.is_authenticated:
        # Lands them back here after logging in; a new account joins when verified.
        session["login_email"] = found.email
    refused = 403 if someone_else else 422
    return render(
        "groups/invitation.html",
        "groups/_invitation.html",
        status=refused if form.is_submitted() else 200,
        invitation=found,
        group=found.group,
        form=form,
        token=token,
        someone_else=someone_else,
    )
