"""Sending an announcement: its outbox rows written a batch at a time by jobs on the bulk
queue, each message rendered by the worker that delivers it, in its reader's language.

A job writes one batch (under the announcement's row lock, carrying on after the last
recipient written) and queues the next, so the request that sends it returns at once,
no job holds a worker for long, and the main queue's mail (a confirmation, a password
reset) is taken between any two. A lost job is made up by the sweep, a batch per pass;
the lock and the cursor mean no batch is ever written twice.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from webapp.accounts.models import User
from webapp.accounts.tokens import unsubscribe_url
from webapp.announcements.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementState,
    Delivery,
)
from webapp.audit.models import AuditAction, SubjectType
from webapp.audit.services import log_action
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RowGone, lock_row
from webapp.events.mail.sending import links_context
from webapp.events.mail.settings import wants_event_mail_at_all
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db
from webapp.groups.models import Membership, MembershipStatus
from webapp.jobs import (
    RUN_NOW,
    bulk_queue_is_empty,
    enqueue,
    job_context,
    plan_job,
    sweep_due,
)
from webapp.outbox.mail import render_bodies
from webapp.outbox.rendering import renders_when_sent
from webapp.outbox.services import add_bulk_messages
from webapp.web import public_url
from webapp.web.languages import language_of

BATCH = 500
KIND = "announcement"
WRITE_BATCH = "webapp.announcements.sending.write_next_batch"


def bulk_key(announcement_id):
    return f"announcement:{announcement_id}"


def unsubscribe_kind(group_id):
    """The one-click unsubscribe kind of one group's announcements."""
    return f"announcements:{group_id}"


def _job_id(announcement_id):
    return f"announcement-{announcement_id}"


def plan_sending(announcement, now=None):
    """After commit: start sending now, plan it for its time, or (withdrawn) drop it."""
    if announcement.state == AnnouncementState.SENDING:
        at = RUN_NOW
    elif not announcement.is_scheduled:
        at = None
    elif announcement.send_at <= (now or utcnow()):
        at = RUN_NOW
    else:
        at = announcement.send_at
    plan_job(_job_id(announcement.id), WRITE_BATCH, announcement.id, at=at, bulk=True)


def recipients(announcement, after_user_id, limit):
    """The next people it goes to by email, by id: active, verified, taking optional mail
    and this group's announcements by email; members, or the event's people by answer."""
    return db.session.scalars(recipients_statement(announcement, after_user_id, limit)).all()


def recipients_statement(announcement, after_user_id, limit):
    # The walk's range and order are on the audience's own person column, which its
    # indexes hold, and each person is met by their key. With them on users instead, a
    # planner that took the tables for nearly empty (before autovacuum has seen a big
    # import) read every later user once per member: a batch of a big group in seconds.
    if announcement.event_id is None:
        audience = Membership
        among = (
            Membership.group_id == announcement.group_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    else:
        audience = Rsvp
        answers = [str(answer) for answer in announcement.audience_answers]
        among = (Rsvp.event_id == announcement.event_id, Rsvp.answer.in_(answers))
    return (
        sa.select(User)
        .join(audience, audience.user_id == User.id)
        .where(
            *among,
            audience.user_id > after_user_id,
            wants_event_mail_at_all(),
            ~sa.exists().where(
                AnnouncementDelivery.user_id == User.id,
                AnnouncementDelivery.group_id == announcement.group_id,
                AnnouncementDelivery.delivery != Delivery.EMAIL,
            ),
        )
        .order_by(audience.user_id)
        .limit(limit)
    )


def write_batch(announcement_id, now=None):
    """Write the outbox rows of its next BATCH recipients, if it is due and not done;
    True when more are left. The caller commits."""
    now = now or utcnow()
    announcement = _locked_if_due(announcement_id, now)
    if announcement is None:
        return False
    people = recipients(announcement, announcement.reached_user_id, BATCH)
    _write_messages(announcement, people)
    if people:
        announcement.reached_user_id = people[-1].id
        announcement.recipient_count += len(people)
    if len(people) < BATCH:
        announcement.state = AnnouncementState.SENT
        announcement.sent_at = now
        log_action(
            announcement.author,
            AuditAction.ANNOUNCEMENT_SENT,
            SubjectType.ANNOUNCEMENT,
            announcement.id,
            announcement.group_id,
            name=announcement.subject,
            detail=str(announcement.recipient_count),
        )
    db.session.flush()
    return announcement.state == AnnouncementState.SENDING


def _locked_if_due(announcement_id, now):
    """The announcement, its row locked, when it is to be sent now (a scheduled one
    whose time has come is then sending); None when it is gone, done or not yet due."""
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None:
        return None
    try:
        lock_row(announcement, read_again=True)
    except RowGone:
        return None
    if announcement.state in (AnnouncementState.SENT, AnnouncementState.WITHDRAWN):
        return None
    if announcement.is_scheduled:
        if announcement.send_at > now:
            return None
        announcement.state = AnnouncementState.SENDING
    return announcement


def _write_messages(announcement, people):
    """One outbox row for each of people, rendered when sent, in their language."""
    subject = f"{announcement.group.name}: {announcement.subject}"
    kind = unsubscribe_kind(announcement.group_id)
    add_bulk_messages(
        bulk_key(announcement.id),
        KIND,
        [
            {
                "recipient": person.email,
                "subject": subject,
                "render_args": {
                    "announcement_id": announcement.id,
                    "user_id": person.id,
                    "language": language_of(person),
                },
                "list_unsubscribe": unsubscribe_url(person, kind),
            }
            for person in people
        ],
    )


def write_next_batch(announcement_id):
    """Job: one batch of an announcement's messages, then the next batch's job."""
    with job_context():
        more = write_batch(announcement_id)
    if more:
        with job_context():
            enqueue(WRITE_BATCH, announcement_id, bulk=True)
    return more


def _lost(now):
    """Those whose job was lost or never ran: due a while ago and still waiting, or sending
    with nothing left on the bulk queue (while anything is, their next batch's job may be
    waiting its turn behind their messages, and a batch written here would run ahead of it)."""
    late = now - timedelta(seconds=current_app.config["OUTBOX_REQUEUE_AFTER"])
    lost = [
        sa.and_(Announcement.state == AnnouncementState.SCHEDULED, Announcement.send_at <= late)
    ]
    if bulk_queue_is_empty():
        lost.append(Announcement.state == AnnouncementState.SENDING)
    return (
        sa.select(Announcement.id)
        .where(sa.or_(*lost))
        .order_by(Announcement.send_at, Announcement.id)
    )


def sweep_due_announcements(now=None):
    """Write a batch of every announcement whose job was lost or never ran (no Redis, a
    worker killed); the next pass, or the job, writes the rest."""
    return sweep_due("announcement", _lost, write_batch, now)


def announcement_url(announcement):
    return public_url.absolute_url("announcements.detail", announcement_id=announcement.id)


@renders_when_sent(KIND)
def render_announcement(kind, args):
    """The email of one announcement to one person, as it stands now; nothing when it was
    withdrawn, or they or it are gone."""
    announcement = db.session.get(Announcement, args["announcement_id"])
    person = db.session.get(User, args["user_id"])
    if announcement is None or person is None or not announcement.is_sent_or_sending:
        return None
    if not announcement.group.is_live:
        return None
    with links_context():
        return render_bodies(
            "announcement",
            announcement=announcement,
            group=announcement.group,
            event=announcement.event,
            url=announcement_url(announcement),
            unsubscribe_url=unsubscribe_url(person, unsubscribe_kind(announcement.group_id)),
            recipient=person,
        )
