"""Organisers take a public announcement that has gone off the open web: it was made
public by mistake, or says what no longer belongs there. Those it went to still read it;
its page is closed to everyone else, and the group's feeds drop it. One still waiting is
made members-only by editing it (manage_announcements.py)."""

from flask_login import login_required

from webapp.announcements import bp
from webapp.announcements.access import can_make_members_only, get_announcement
from webapp.announcements.manage_announcements import ask_then_act
from webapp.announcements.services import make_members_only
from webapp.web.translating import gettext as _


@bp.route("/announcements/<int:announcement_id>/members-only", methods=["GET", "POST"])
@login_required
def members_only(announcement_id):
    """GET asks (a page, or a dialog with JavaScript); POST makes it members-only."""
    return ask_then_act(
        get_announcement(announcement_id, need=can_make_members_only),
        make_members_only,
        _(
            "The announcement is for members only now: visitors and the group's feeds no "
            "longer show it."
        ),
        "announcements/members_only.html",
        "announcements/_members_only.html",
    )
