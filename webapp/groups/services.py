"""Rules of groups themselves: creating one, its settings and address, deleting it; and
the group's history (record), which every rule of the group writes to.

verb_noun(actor, group, ...): they flush and raise RuleError; the request commits. Who is
in a group, and in which role, is decided in membership.py.
"""

import sqlalchemy as sa
from slugify import slugify
from sqlalchemy.exc import IntegrityError

from webapp.audit.models import SubjectType
from webapp.audit.services import log_action
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.groups.models import Group, GroupSlug, HistoryAction, Membership, Role
from webapp.groups.summary import summary_of
from webapp.web.markdown import render_markdown
from webapp.web.translating import gettext as _

# Addresses that routes under /groups/ use for themselves.
RESERVED_SLUGS = {"new"}


def record(group, actor, action, subject=None, subject_email=None, detail=""):
    """A line of the group's history: the audit log, for this group."""
    if subject is not None:
        log_action(
            actor, action, SubjectType.USER, subject.id, group.id, name=subject.name, detail=detail
        )
    elif subject_email:
        log_action(
            actor, action, SubjectType.USER, None, group.id, email=subject_email, detail=detail
        )
    else:
        log_action(
            actor, action, SubjectType.GROUP, group.id, group.id, name=group.name, detail=detail
        )


def slug_taken_error():
    """The refusal of an address another group has (or had): made when raised, in the
    language of the request."""
    return RuleError(_("Another group already uses this address."), "slug")


def suggest_slug(name):
    return slugify(name, max_length=60, word_boundary=True) or "group"


def slug_taken(slug, group=None):
    if slug in RESERVED_SLUGS:
        return True
    current = db.session.scalar(sa.select(Group.id).where(Group.slug == slug))
    former = db.session.get(GroupSlug, slug)
    others = {current, former.group_id if former else None} - {None}
    return bool(others - {group.id if group else None})


def free_slug_for(name):
    """A slug from the name, numbered when the plain one is taken: book-club, book-club-2."""
    base = suggest_slug(name)
    candidate, number = base, 1
    while slug_taken(candidate):
        number += 1
        candidate = f"{base[:56]}-{number}"
    return candidate


def set_description(group, text):
    """The Markdown people typed, its HTML and its summary made once here, not on each view."""
    group.description = text or ""
    group.description_html = str(render_markdown(group.description))
    group.summary = summary_of(group.description_html)


def create_group(
    actor,
    name,
    slug,
    description,
    visibility,
    join_policy,
    announce_new_events=False,
    answers_kept_days=None,
    allows_guests=False,
):
    """A new group with actor as its owner (answers_kept_days: None, the default)."""
    slug = slug or free_slug_for(name)
    if slug_taken(slug):
        raise slug_taken_error()
    group = Group(
        name=name,
        slug=slug,
        visibility=visibility,
        join_policy=join_policy,
        announce_new_events=bool(announce_new_events),
        allows_guests=bool(allows_guests),
    )
    if answers_kept_days is not None:
        group.answers_kept_days = answers_kept_days
    set_description(group, description)
    try:
        with db.session.begin_nested():
            db.session.add(group)
    except IntegrityError:
        raise slug_taken_error() from None
    db.session.add(Membership(group_id=group.id, user_id=actor.id, role=Role.OWNER))
    record(group, actor, HistoryAction.CREATED, subject=actor)
    return group


def update_group(
    actor,
    group,
    name,
    slug,
    description,
    visibility,
    join_policy,
    announce_new_events=None,
    answers_kept_days=None,
    allows_guests=None,
):
    """Change a group's settings; its old address keeps working when the slug changes.
    announce_new_events, answers_kept_days, allows_guests: None keeps it."""
    if slug != group.slug:
        if slug_taken(slug, group):
            raise slug_taken_error()
        db.session.execute(sa.delete(GroupSlug).where(GroupSlug.slug == slug))
        db.session.add(GroupSlug(slug=group.slug, group_id=group.id))
        group.slug = slug
    group.name = name
    set_description(group, description)
    group.visibility = visibility
    group.join_policy = join_policy
    if announce_new_events is not None:
        group.announce_new_events = bool(announce_new_events)
    if answers_kept_days is not None:
        group.answers_kept_days = answers_kept_days
    if allows_guests is not None:
        group.allows_guests = bool(allows_guests)
    record(group, actor, HistoryAction.SETTINGS_CHANGED)
    db.session.flush()


def delete_group(actor, group, typed_name):
    """Soft-delete: the group disappears but its rows stay."""
    if typed_name.strip() != group.name:
        raise RuleError(_("Type the group's name exactly to delete it."), "confirm_name")
    group.deleted_at = utcnow()
    record(group, actor, HistoryAction.DELETED)
