"""Rules of files: upload one to an event, delete one, verb_file(actor, ...).

They flush and raise RuleError naming the form field; the request commits. The bytes are
saved before the row, and deleted again if the request rolls back; a deleted file's
objects go once the deletion commits (webapp.storage). An image's thumbnail is made by
a job after commit (thumbnails.py).
"""

import hashlib

import sqlalchemy as sa
from flask import current_app

from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.files.content import clean_name, inspect_upload
from webapp.files.models import FileKind, StoredFile
from webapp.jobs import enqueue_after_commit
from webapp.storage import delete_after_commit, save_in_transaction
from webapp.web.translating import gettext as _

THUMBNAIL_JOB = "webapp.files.thumbnails.make_thumbnail"


def upload_file(actor, event, raw_name, data):
    """Store data as a file of event, uploaded by actor (who may upload: see access)."""
    name = clean_name(raw_name)
    inspected = inspect_upload(name, data, current_app.config["MAX_IMAGE_PIXELS"])
    key = save_in_transaction(db.session, inspected.data)
    stored = StoredFile(
        event_id=event.id,
        uploader_id=actor.id,
        name=name,
        kind=inspected.kind,
        content_type=inspected.content_type,
        size=len(inspected.data),
        sha256=hashlib.sha256(inspected.data).hexdigest(),
        storage_key=key,
    )
    db.session.add(stored)
    db.session.flush()
    if inspected.kind == FileKind.IMAGE:
        enqueue_after_commit(THUMBNAIL_JOB, stored.id)
    return stored


def delete_file(actor, stored):
    """Delete the file's row now, and its stored objects once that commits. The keys come
    from the deleted row itself: a thumbnail made meanwhile goes too, and of two deletions
    at once the second finds nothing and says so."""
    deleted = db.session.execute(
        sa.delete(StoredFile)
        .where(StoredFile.id == stored.id)
        .returning(StoredFile.storage_key, StoredFile.thumbnail_key)
    ).first()
    if deleted is None:
        raise RuleError(_("This file was already deleted."))
    db.session.expunge(stored)
    for key in deleted:
        delete_after_commit(db.session, key)
