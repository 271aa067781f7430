"""Writes of announcements: write one (now or for later), edit or withdraw it while it
waits, make a public one that has gone members-only, mark it read, choose how a group's
announcements reach oneself. Sending is sending.py's."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from webapp.announcements.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementState,
    Delivery,
)
from webapp.announcements.sending import plan_sending
from webapp.audit.models import AuditAction, SubjectType
from webapp.audit.services import log_action
from webapp.database.inserts import insert_many_or_ignore, insert_or_ignore
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.times import to_utc
from webapp.extensions import db
from webapp.web.markdown import render_markdown
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

# Any seven days hold at most the cap: a new one is refused when as many others go within
# seven days of its time, before or after.
CAP_WINDOW = timedelta(days=7)
FURTHEST_AHEAD = timedelta(days=365)


def weekly_cap():
    return current_app.config["ANNOUNCEMENTS_PER_WEEK"]


def others_near(group, send_at, leaving_out=None):
    """How many of group's announcements (not withdrawn) go within a week of send_at."""
    statement = sa.select(sa.func.count()).where(
        Announcement.group_id == group.id,
        Announcement.state != AnnouncementState.WITHDRAWN,
        Announcement.send_at > send_at - CAP_WINDOW,
        Announcement.send_at < send_at + CAP_WINDOW,
    )
    if leaving_out is not None:
        statement = statement.where(Announcement.id != leaving_out.id)
    return db.session.scalar(statement)


def sends_left(group, now=None):
    """How many more the group may send now, as the organiser is told before writing."""
    return max(0, weekly_cap() - others_near(group, now or utcnow()))


def _send_time(text, zone, now):
    if text.send_at_local is None:
        return now
    send_at = to_utc(text.send_at_local, zone, "send_at")
    if send_at <= now:
        raise RuleError(_("Choose a time in the future, or send it now."), "send_at")
    if send_at > now + FURTHEST_AHEAD:
        raise RuleError(_("Choose a time within a year from now."), "send_at")
    return send_at


def _within_cap(group, send_at, leaving_out=None):
    cap = weekly_cap()
    if others_near(group, send_at, leaving_out) >= cap:
        raise RuleError(
            ngettext(
                "This group can send %(num)d announcement in any seven days, and it has "
                "one within a week of that time. Choose another time.",
                "This group can send %(num)d announcements in any seven days, and it has "
                "that many within a week of that time. Choose another time.",
                cap,
            ),
            "send_at" if send_at else None,
        )


def zone_of(actor, event):
    return event.time_zone if event is not None else actor.time_zone


def _state_for(send_at, now):
    """One that goes now is sending from the start: no longer to be edited or withdrawn."""
    return AnnouncementState.SENDING if send_at <= now else AnnouncementState.SCHEDULED


def announce(actor, group, text, event=None, now=None):
    """Write an announcement to group's members (or to event's people with the answers in
    text); it goes now or at its time. The group's row is locked while its week's
    announcements are counted, so two at once cannot both take the last one."""
    now = now or utcnow()
    lock_row(group)
    send_at = _send_time(text, zone_of(actor, event), now)
    _within_cap(group, send_at)
    answers = set(text.answers)
    announcement = Announcement(
        group=group,
        event=event,
        author_id=actor.id,
        subject=text.subject,
        body=text.body,
        body_html=render_markdown(text.body),
        send_at=send_at,
        state=_state_for(send_at, now),
        to_going="going" in answers,
        to_maybe="maybe" in answers,
        to_waitlisted="waitlisted" in answers,
        public=text.public and event is None,
    )
    db.session.add(announcement)
    (event or group).has_announcements = True
    db.session.flush()
    plan_sending(announcement, now)
    return announcement


def edit_announcement(actor, announcement, text, now=None):
    """Change what a scheduled announcement says, to whom or when, before it goes."""
    now = now or utcnow()
    lock_row(announcement.group)
    lock_row(announcement, read_again=True)
    if not announcement.is_scheduled:
        raise RuleError(_("This announcement has gone out: it can no longer be changed."))
    send_at = _send_time(text, zone_of(actor, announcement.event), now)
    _within_cap(announcement.group, send_at, leaving_out=announcement)
    answers = set(text.answers)
    announcement.subject = text.subject
    announcement.body = text.body
    announcement.body_html = render_markdown(text.body)
    announcement.send_at = send_at
    announcement.state = _state_for(send_at, now)
    if announcement.event_id is not None:
        announcement.to_going = "going" in answers
        announcement.to_maybe = "maybe" in answers
        announcement.to_waitlisted = "waitlisted" in answers
    else:
        announcement.public = text.public
    db.session.flush()
    plan_sending(announcement, now)
    return announcement


def withdraw_announcement(actor, announcement):
    """A scheduled announcement will not go; it stays, marked withdrawn, for organisers."""
    lock_row(announcement, read_again=True)
    if not announcement.is_scheduled:
        raise RuleError(_("This announcement has gone out: it can no longer be withdrawn."))
    announcement.state = AnnouncementState.WITHDRAWN
    announcement.withdrawn_at = utcnow()
    log_action(
        actor,
        AuditAction.ANNOUNCEMENT_WITHDRAWN,
        SubjectType.ANNOUNCEMENT,
        announcement.id,
        announcement.group_id,
        name=announcement.subject,
    )
    db.session.flush()
    plan_sending(announcement)


def make_members_only(actor, announcement):
    """A public announcement leaves the open web: those it went to still read it; its page
    is closed to everyone else, and the group's feeds drop it (their versions move as it is
    saved: webapp.open_web.versions)."""
    lock_row(announcement, read_again=True)
    if not announcement.public:
        raise RuleError(_("This announcement is already for members only."))
    announcement.public = False
    log_action(
        actor,
        AuditAction.ANNOUNCEMENT_MEMBERS_ONLY,
        SubjectType.ANNOUNCEMENT,
        announcement.id,
        announcement.group_id,
        name=announcement.subject,
    )


def mark_read(user, announcements):
    """user has read these (twice, or two requests at once, is as once): one statement."""
    insert_many_or_ignore(
        AnnouncementRead,
        [
            {"announcement_id": one.id, "user_id": user.id, "read_at": utcnow()}
            for one in announcements
        ],
    )


def choose_delivery(user, group, delivery):
    """How group's announcements reach user: by email (no row), in the digest, or not."""
    db.session.execute(
        sa.delete(AnnouncementDelivery).where(
            AnnouncementDelivery.user_id == user.id, AnnouncementDelivery.group_id == group.id
        )
    )
    if Delivery(delivery) != Delivery.EMAIL:
        # Two choices at once: the first stands, not a 500.
        insert_or_ignore(
            AnnouncementDelivery,
            user_id=user.id,
            group_id=group.id,
            delivery=Delivery(delivery),
            changed_at=utcnow(),
        )
    db.session.flush()
