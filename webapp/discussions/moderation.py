"""The organisers' keeping of order in talk (an event's organisers and co-hosts, a group
discussion's organisers, and whoever decides a report): hiding a comment or showing it
again, pinning it, and pinning, closing or hiding a whole discussion. Hiding, showing,
closing and opening go into the audit log. Each change takes its discussion's lock and
moves its live version on, as the members' writes do (webapp.discussions.services)."""

from webapp.audit.services import log_action
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.discussions.services import move_thread_version_on
from webapp.web.translating import gettext as _


def hide_comment(actor, comment):
    """An organiser hides a comment from everyone but those who keep order; logged."""
    lock_row(comment.discussion, read_again=True)
    if comment.is_hidden:
        return False
    if comment.is_shown:
        comment.discussion.comment_count -= 1
    comment.hidden_at = utcnow()
    comment.hidden_by_id = actor.id
    move_thread_version_on(comment.discussion)
    _log_comment(actor, "comment_hidden", comment)
    return True


def show_comment(actor, comment):
    """An organiser shows a hidden comment again; logged."""
    lock_row(comment.discussion, read_again=True)
    if not comment.is_hidden:
        return False
    comment.hidden_at = None
    comment.hidden_by_id = None
    if comment.is_shown:
        comment.discussion.comment_count += 1
    move_thread_version_on(comment.discussion)
    _log_comment(actor, "comment_shown", comment)
    return True


def pin_comment(actor, comment, pinned):
    """Pin a first-level comment on top of its thread, or unpin it."""
    lock_row(comment.discussion, read_again=True)
    if comment.parent_id is not None:
        raise RuleError(_("Only a comment, not a reply, can be pinned."))
    if (comment.pinned_at is not None) == pinned:
        return False
    comment.pinned_at = utcnow() if pinned else None
    move_thread_version_on(comment.discussion)
    return True


def hide_discussion(actor, discussion, hidden):
    """An organiser hides a whole discussion from its members, or shows it again; logged."""
    return _mark(actor, discussion, "hidden_at", hidden, ("discussion_hidden", "discussion_shown"))


def pin_discussion(actor, discussion, pinned):
    """Pin a discussion on top of its group's list, or unpin it."""
    return _mark(actor, discussion, "pinned_at", pinned)


def lock_discussion(actor, discussion, locked):
    """Close a thread to new comments (its organisers still write), or open it; logged."""
    logged = ("discussion_locked", "discussion_unlocked")
    return _mark(actor, discussion, "locked_at", locked, logged)


def _mark(actor, discussion, column, on, logged=None):
    """Set (on) or clear the discussion's moment column under its lock; False when it was
    so already. logged: the audit actions (setting, clearing) that record it."""
    lock_row(discussion, read_again=True)
    if (getattr(discussion, column) is not None) == on:
        return False
    setattr(discussion, column, utcnow() if on else None)
    move_thread_version_on(discussion)
    if logged is not None:
        log_action(
            actor,
            logged[0] if on else logged[1],
            "discussion",
            discussion.id,
            discussion.group_id,
            name=_discussion_name(discussion),
        )
    return True


def _discussion_name(discussion):
    return discussion.title or (discussion.event.title if discussion.event else "")


def _log_comment(actor, action, comment):
    author = comment.author
    log_action(
        actor,
        action,
        "comment",
        comment.id,
        comment.discussion.group_id,
        name=author.name if author else "",
        detail=_discussion_name(comment.discussion),
    )
