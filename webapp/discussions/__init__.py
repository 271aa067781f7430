"""Talk: comments under each event and, later, a group's discussions (models.py), with
replies one level deep, mentions, following with paced email, and the organisers' pin,
lock and hide. Comments under an event are event_comments.py; the organisers' actions
on them manage_comments.py, under a nested blueprint that loads and authorises the
comment before any view runs."""

from flask import Blueprint, g

from webapp.web.manage import authorised_blueprint

bp = Blueprint("discussions", __name__)


def load_managed_comment(values):
    """Every manage view gets g.comment, already checked: log in first, 404 to those who
    may not read it, 403 to those who may read but not moderate it."""
    from webapp.discussions.access import can_moderate_comment, get_comment

    g.comment = get_comment(values.pop("comment_id"), need=can_moderate_comment)


manage = authorised_blueprint(
    "manage", __name__, "/comments/<int:comment_id>/manage", load_managed_comment
)


bp.register_blueprint(manage)


@bp.record_once
def register_sweep(state):
    """Followers' email the hour held back is sent by the job workers' sweep."""
    from webapp.discussions.mailing import sweep_followers
    from webapp.jobs import register_sweep

    register_sweep(state.app, "discussion mail", sweep_followers)


def attach_views():
    """Import the modules whose routes attach to bp and its manage blueprint (see create_app)."""
    from webapp.discussions import event_comments, mailing, manage_comments, panels  # noqa: F401
