"""Announcements: organisers tell a group's members, or an event's people, something once,
by email and on the group's and event's pages. Writing, previewing and reading them are
views.py; editing and withdrawing one that waits for its time are manage_announcements.py,
under a nested blueprint that loads and authorises it first; taking a public one that has
gone off the open web is members_only.py; sending it in batches from the bulk queue is
sending.py."""

from flask import Blueprint, g

from webapp.web.manage import authorised_blueprint

bp = Blueprint("announcements", __name__)


def load_managed_announcement(values):
    """Every manage view gets g.announcement, already checked: log in first, 404 to those
    who may not see it, 403 to those who may see but not manage it."""
    from webapp.announcements.access import can_manage_announcement, get_announcement

    g.announcement = get_announcement(values.pop("announcement_id"), need=can_manage_announcement)


manage = authorised_blueprint(
    "manage", __name__, "/announcements/<int:announcement_id>/manage", load_managed_announcement
)


bp.register_blueprint(manage)


@bp.record_once
def register_sweep(state):
    """Announcements whose time has come, or whose sending stopped half-way, are swept."""
    from webapp.announcements.sending import sweep_due_announcements
    from webapp.jobs import register_sweep

    register_sweep(state.app, "announcement", sweep_due_announcements)


def attach_views():
    """Import the modules whose routes attach to bp and its manage blueprint (see create_app)."""
    from webapp.announcements import (  # noqa: F401
        manage_announcements,
        members_only,
        panels,
        publishing,
        unsubscribing,
        views,
    )
