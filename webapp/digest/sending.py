"""Sending digests: a sweep finds the people whose digest is due (their 08:00 has come in
their own zone, and no digest of this period went to them) and queues one job each, named
by person and period; the job writes the email and the period's digest_sends row in one
transaction, or only the row when there is nothing to tell.

So a digest goes once whatever runs it: the row's key turns a second job, a retry, or a
second worker into nothing, and RQ keeps one job per name meanwhile. A sweep that runs late
still finds the period due for some hours (periods.LATE_BY); one that runs twice finds
the rows.
"""

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from webapp.accounts.models import User
from webapp.accounts.tokens import unsubscribe_url
from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.digest.contents import contents_for
from webapp.digest.models import (
    DEFAULT_FREQUENCY,
    DigestItem,
    DigestSend,
    DigestSetting,
    Frequency,
)
from webapp.digest.periods import current_period
from webapp.discussions.services import mark_told
from webapp.events.calendar.ics import event_page_url
from webapp.events.mail.sending import links_context
from webapp.events.mail.settings import wants_event_mail_at_all
from webapp.extensions import db
from webapp.jobs import bulk_queue_is_empty, enqueue, job_context
from webapp.outbox.mail import send_template
from webapp.web import public_url
from webapp.web.dates import day_text
from webapp.web.languages import in_language, language_of
from webapp.web.translating import lazy_gettext as _l

SEND_ONE = "webapp.digest.sending.send_digest"
ALL = "all"
# digest_items older than this are forgotten: nothing a digest tells of lasts as long.
REMEMBER_ITEMS = timedelta(days=180)
# The sweep looks at the clock of every zone people live in; a few times an hour is enough.
SWEEP_EVERY = 300
_last_sweep = None


def unsubscribe_kind(group_id=None):
    """The one-click kind of the whole digest, or of one group's part in it."""
    return f"digest:{ALL if group_id is None else group_id}"


def job_id(user_id, period_key):
    # RQ job ids take letters, digits, _ and - only.
    return f"digest-{user_id}-{period_key.replace(':', '-')}"


def frequency_column():
    return sa.func.coalesce(DigestSetting.frequency, str(DEFAULT_FREQUENCY))


def due_people(now):
    """(user id, period key) of everyone whose digest is due at now and not yet sent."""
    zones = db.session.scalars(
        sa.select(User.time_zone).where(wants_event_mail_at_all()).distinct()
    ).all()
    due = []
    for frequency in (Frequency.WEEKLY, Frequency.DAILY):
        for zone in zones:
            period = current_period(frequency, zone, now)
            if period is None:
                continue
            statement = (
                sa.select(User.id)
                .outerjoin(DigestSetting, DigestSetting.user_id == User.id)
                .where(
                    User.time_zone == zone,
                    wants_event_mail_at_all(),
                    frequency_column() == str(frequency),
                    ~sa.exists().where(
                        DigestSend.user_id == User.id, DigestSend.period == period.key
                    ),
                )
                .order_by(User.id)
            )
            due += [(user_id, period.key) for user_id in db.session.scalars(statement)]
    return due


def sweep_due_digests(now=None):
    """Queue the job of every digest due (at most every SWEEP_EVERY seconds a process,
    unless given now); returns how many were queued. Not while anything waits on the bulk
    queue: digests queued by an earlier pass may be among it, and would be queued again."""
    global _last_sweep
    if not current_app.config["DIGESTS"] or not bulk_queue_is_empty():
        return 0
    if now is None:
        if _last_sweep is not None and time.monotonic() - _last_sweep < SWEEP_EVERY:
            return 0
        _last_sweep = time.monotonic()
    with job_context():
        due = due_people(now or utcnow())
    for user_id, period_key in due:
        with job_context():
            enqueue(
                SEND_ONE, user_id, period_key, now, bulk=True, job_id=job_id(user_id, period_key)
            )
    return len(due)


def send_digest(user_id, period_key, now=None):
    """Job: user_id's digest of period_key, if it is still due and was not sent."""
    with job_context():
        return write_digest(user_id, period_key, now)


def write_digest(user_id, period_key, now=None):
    """Write user_id's digest of period_key into the outbox, with its digest_sends row and
    its items; only the row when there is nothing to tell; nothing when it went already or
    is not due. Returns whether an email was written. The caller commits."""
    now = now or utcnow()
    user = db.session.scalar(sa.select(User).where(User.id == user_id, wants_event_mail_at_all()))
    if user is None:
        return False
    setting = db.session.get(DigestSetting, user_id)
    frequency = setting.frequency if setting is not None else DEFAULT_FREQUENCY
    period = current_period(frequency, user.time_zone, now)
    if period is None or period.key != period_key:
        return False
    # The row is the lock: another run of this job waits here, then finds it and stops.
    if not insert_or_ignore(DigestSend, user_id=user_id, period=period_key, sent_at=now):
        return False
    db.session.execute(
        sa.delete(DigestItem).where(
            DigestItem.user_id == user_id, DigestItem.sent_at < now - REMEMBER_ITEMS
        )
    )
    contents = contents_for(user, period, now)
    if not contents:
        return False
    items = contents.items()
    db.session.execute(
        sa.insert(DigestItem),
        [{"user_id": user_id, "item": item, "sent_at": now} for item in items],
    )
    db.session.execute(
        sa.update(DigestSend)
        .where(DigestSend.user_id == user_id, DigestSend.period == period_key)
        .values(item_count=len(items))
    )
    # The threads it tells of are told: their comments so far come in no email.
    mark_told(user, contents.threads)
    _mail(user, frequency, period_key, contents)
    return True


SUBJECTS = {
    Frequency.WEEKLY: _l("Your week on Hearth"),
    Frequency.DAILY: _l("Your day on Hearth"),
}


def _moment_text(moment, zone):
    """A moment as the reader's clock shows it, in the email's language: "Sat 7 Mar 2026, 19:00"."""
    if moment is None:
        return None
    local = moment.astimezone(zone)
    return f"{day_text(local, 'day')}, {local.hour:02d}:{local.minute:02d}"


def _mail(user, frequency, period_key, contents):
    zone = ZoneInfo(user.time_zone)
    language = language_of(user)
    with links_context(), in_language(language):
        send_template(
            user.email,
            SUBJECTS[frequency],
            "digest",
            unsubscribe_url=unsubscribe_url(user, unsubscribe_kind()),
            language=language,
            # Everyone's digest is written at their 08:00: on the bulk queue, they never
            # hold up a confirmation or a password reset.
            bulk_key=f"digest:{period_key}",
            user=user,
            contents=contents,
            frequency=frequency,
            moment_text=lambda moment: _moment_text(moment, zone),
            event_url=event_page_url,
            link=public_url.absolute_url,
            leave_out_url=lambda group: unsubscribe_url(user, unsubscribe_kind(group.id)),
            settings_url=public_url.absolute_url("accounts.settings", _anchor="digest"),
        )
