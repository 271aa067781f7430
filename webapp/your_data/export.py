"""Downloading one's data: asking for it, the job that builds the zip, and its live part.

One request under way per person (a partial unique index, checked under the user's row
lock). The job (build_export, by dotted name, in its own app context) is idempotent: it
works only on a request still pending or building, and the run that finishes it sets it
ready under its row lock, so a retried or second copy finds it done and sends nothing
(its own copy of the zip is deleted with its rolled-back transaction). The zip is kept
through webapp.storage under a key the server makes, for EXPORT_DAYS; asking again
replaces it, and the sweep (each worker's maintenance pass, beside the mail sweeps)
deletes the zips that expired.
"""

import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp import live
from webapp.accounts.models import User
from webapp.accounts.tokens import unsubscribe_url
from webapp.database.redis_client import get_redis
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.mail.models import EventMailKind
from webapp.events.mail.sending import KIND_NAMES
from webapp.events.mail.settings import wants_event_mail
from webapp.extensions import db
from webapp.jobs import enqueue_after_commit, job_context, sweep_due
from webapp.outbox import mail
from webapp.storage import delete_after_commit, save_in_transaction
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l
from webapp.your_data.export_zip import build_zip
from webapp.your_data.models import DataExport, ExportState

log = logging.getLogger("hearth.exports")

EXPORT_DAYS = 7
# A request under way for longer than this lost its job (Redis emptied, say): asking
# again gives it up rather than leave the person waiting for ever.
STALE_AFTER = timedelta(hours=1)
JOB = "webapp.your_data.export.build_export"
KIND = EventMailKind.DATA_EXPORT


def under_way():
    return _("Your data is already being put together. It will be ready shortly.")


def export_topic(export_id):
    return live.topic("export", export_id)


def export_changed(export):
    """Bump the live part after commit; a finished export's part can change no more."""
    until = utcnow() if export.is_finished else None
    live.bump_after_commit(export_topic(export.id), until=until)


def latest_export(user):
    """user's newest request to download their data, or None (one query)."""
    return db.session.scalar(
        sa.select(DataExport)
        .where(DataExport.user_id == user.id)
        .order_by(DataExport.id.desc())
        .limit(1)
    )


def own_export(user, export_id):
    """The export export_id if it is user's, else None: someone else's is not found."""
    return db.session.scalar(
        sa.select(DataExport).where(DataExport.id == export_id, DataExport.user_id == user.id)
    )


def forget_exports(user):
    """Delete user's earlier exports and, once that commits, their zips."""
    old = db.session.scalars(sa.select(DataExport).where(DataExport.user_id == user.id)).all()
    for export in old:
        delete_after_commit(db.session, export.storage_key)
        db.session.delete(export)
    db.session.flush()


def request_export(user):
    """Start building a zip of user's data (the one before it goes). RuleError while one
    is under way."""
    lock_row(user)
    latest = latest_export(user)
    if latest is not None and not latest.is_finished:
        if latest.created_at > utcnow() - STALE_AFTER:
            raise RuleError(under_way())
        latest.state = ExportState.FAILED
        export_changed(latest)
    forget_exports(user)
    export = DataExport(user_id=user.id, state=ExportState.PENDING)
    try:
        # The lock keeps this to one; the index would refuse a second that slipped past.
        with db.session.begin_nested():
            db.session.add(export)
    except IntegrityError:
        raise RuleError(under_way()) from None
    enqueue_after_commit(JOB, export.id)
    # No bump: a new export starts a topic afresh, whose first version its part shows.
    _start_topic(export.id)
    return export


def _start_topic(export_id):
    """Forget what Redis holds for this id: a database emptied or restored hands out ids
    again, and an old export's topic (over, with its `until` past) would never poll 204."""
    try:
        get_redis().delete(export_topic(export_id))
    except Exception:
        log.warning("could not reset live topic of export %s", export_id, exc_info=True)


def _locked_export(export_id):
    export = db.session.get(DataExport, export_id)
    if export is not None:
        lock_row(export, read_again=True)
    return export


def build_export(export_id):
    """Job: build the zip of one export and mail its owner (nothing if it is finished)."""
    with job_context():
        export = _locked_export(export_id)
        if export is None or export.is_finished:
            return None
        export.state = ExportState.BUILDING
        export_changed(export)
        db.session.commit()
        try:
            user = db.session.get(User, export.user_id)
            data = build_zip(user)
            key = save_in_transaction(db.session, data, ".zip")
            export = _locked_export(export_id)
            if export is None or export.is_finished:
                # Another copy finished first (or the request is gone): ours is dropped.
                db.session.rollback()
                return None
            finish(export, user, key, len(data))
        except Exception:
            log.exception("could not build data export %s", export_id)
            db.session.rollback()
            export = _locked_export(export_id)
            if export is not None and not export.is_finished:
                export.state = ExportState.FAILED
                export_changed(export)
        return export_id


def finish(export, user, key, size):
    """Mark export ready with its zip, and tell its owner (unless they turned that off)."""
    now = utcnow()
    export.state = ExportState.READY
    export.storage_key, export.size = key, size
    export.ready_at, export.expires_at = now, now + timedelta(days=EXPORT_DAYS)
    export_changed(export)
    wants = db.session.scalar(sa.select(User.id).where(User.id == user.id, wants_event_mail(KIND)))
    if wants is not None:
        mail.send_template(
            user.email,
            _l("Your Hearth data is ready to download"),
            "data_export_ready",
            language=language_of(user),
            user=user,
            export=export,
            export_days=EXPORT_DAYS,
            page_url=public_url.absolute_url("accounts.your_data"),
            settings_url=public_url.absolute_url("accounts.settings", _anchor="event-mail"),
            kind_name=KIND_NAMES[KIND],
            unsubscribe_url=unsubscribe_url(user, KIND.value),
        )
    db.session.flush()


def _expired_exports(now):
    return (
        sa.select(DataExport.id)
        .where(DataExport.storage_key.is_not(None), DataExport.expires_at <= now)
        .order_by(DataExport.id)
    )


def forget_expired(export_id, now):
    """Delete an expired export's zip (after commit); the row stays, saying it expired."""
    export = _locked_export(export_id)
    if export is None or export.storage_key is None or export.expires_at > now:
        return 0
    delete_after_commit(db.session, export.storage_key)
    export.storage_key = None
    db.session.flush()
    return 0


def sweep_expired_exports(now=None):
    """Delete every expired export's zip, one transaction each."""
    return sweep_due("expired export", _expired_exports, forget_expired, now)
