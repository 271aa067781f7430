"""Talk: comments under each event and a group's discussions (models.py), with replies
one level deep, mentions, following with paced email (mailing.py), and the organisers'
pin, lock and hide. An event's comments are event_comments.py, a group's discussions
group_discussions.py, one comment's own pages (reply, edit, remove) comments.py; the
organisers' actions on a comment manage_comments.py and on a whole discussion
manage_discussions.py, each under a nested blueprint that loads and authorises its
object before any view runs."""

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


def load_managed_discussion(values):
    """Every view of manage_discussion gets g.discussion (a group's), already checked:
    log in first, 404 to those who may not read it, 403 to those who may read but not
    keep it in order."""
    from webapp.discussions.access import can_moderate_discussion, get_discussion

    g.discussion = get_discussion(values.pop("discussion_id"), need=can_moderate_discussion)


manage_discussion = authorised_blueprint(
    "manage_discussion",
    __name__,
    "/discussions/<int:discussion_id>/manage",
    load_managed_discussion,
)

bp.register_blueprint(manage)
bp.register_blueprint(manage_discussion)


@bp.record_once
def register_sweep(state):
    """Followers' email the hour held back is sent by the job workers' sweep."""
    from webapp.discussions.mailing import sweep_followers
    from webapp.jobs import register_sweep

    register_sweep(state.app, "discussion mail", sweep_followers)


def attach_views():
    """Import the modules whose routes attach to bp and its manage blueprint (see create_app)."""
    from webapp.discussions import (  # noqa: F401
        comments,
        event_comments,
        group_discussions,
        mailing,
        manage_comments,
        manage_discussions,
        panels,
    )
