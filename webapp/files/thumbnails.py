"""The thumbnail job: a small WebP of an uploaded image, made once.

Queued by its dotted name after the upload commits. It runs in its own app context and
may run twice (a retry, a second queueing): the file's row is locked and read again
before the key is written, and a run that finds a thumbnail already there deletes its own
copy. An image that cannot be read (or is too large: uploads are checked, but the limit
may have been lowered since) gets no thumbnail rather than a failing job.
"""

import logging

from flask import current_app
from sqlalchemy.exc import InvalidRequestError

from webapp.database.unit_of_work import RowGone, lock_row
from webapp.extensions import db
from webapp.files.content import thumbnail_of
from webapp.files.models import StoredFile
from webapp.jobs import job_context
from webapp.storage import StorageError, get_storage, read_object

log = logging.getLogger("hearth.files")


def make_thumbnail(file_id):
    """Make file_id's thumbnail unless it has one; returns its storage key, or None."""
    with job_context():
        stored = db.session.get(StoredFile, file_id)
        if stored is None or not stored.is_image:
            return None
        if stored.thumbnail_key:
            return stored.thumbnail_key
        try:
            data = read_object(stored.storage_key)
        except StorageError:
            log.warning("file %s has no stored object; no thumbnail", file_id)
            return None
        small = thumbnail_of(data, current_app.config["MAX_IMAGE_PIXELS"])
        if small is None:
            log.warning("file %s could not be read as an image; no thumbnail", file_id)
            return None
        key = get_storage().save(small, ".webp")
        try:
            lock_row(stored, read_again=True)
        except (RowGone, InvalidRequestError):  # deleted meanwhile
            get_storage().delete(key)
            return None
        if stored.thumbnail_key:
            get_storage().delete(key)
            return stored.thumbnail_key
        stored.thumbnail_key = key
        return key
