"""Where uploaded files live: a small interface (save, open, delete, send) and its backends.

Features keep a storage key in their rows and never a path: the backend named by
STORAGE_BACKEND turns keys into bytes. The local backend keeps them in a folder
(UPLOAD_DIR, instance/uploads by default, never under static/), under names the server
makes; an object store would be one more class in BACKENDS, with no change to a feature.

Writes that belong to a transaction go through save_in_transaction and
delete_after_commit: an object saved for a request that then rolls back is deleted, and an
object whose row is deleted goes only once that deletion has committed.
"""

import logging
import re
import secrets

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("hearth.storage")

# Server-made keys only: two levels of fan-out, then 32 hex digits, and a kind suffix.
KEY_PATTERN = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}(\.[a-z]{1,10})?$")
_SAVED = "hearth_storage_saved"
_DOOMED = "hearth_storage_doomed"


class StorageError(Exception):
    """A key that is not one of ours, or an object that is not there."""


def new_key(suffix=""):
    """A random key: nothing of the user's file name reaches the storage."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token[2:4]}/{token}{suffix}"


class Storage:
    """The interface every backend gives."""

    def save(self, data, suffix=""):
        """Store bytes under a new key, and return the key."""
        raise NotImplementedError

    def open(self, key):
        """A binary file object to read the object from (close it)."""
        raise NotImplementedError

    def delete(self, key):
        """Remove the object; a missing one is not an error."""
        raise NotImplementedError

    def send(self, key, download_name, mimetype, as_attachment=True):
        """A response carrying the object, named download_name."""
        raise NotImplementedError


def _local(config):
    from webapp.storage.local import LocalStorage

    return LocalStorage(config["UPLOAD_DIR"])


BACKENDS = {"local": _local}


def init_storage(app):
    name = app.config["STORAGE_BACKEND"]
    if name not in BACKENDS:
        raise RuntimeError(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    app.extensions["hearth_storage"] = BACKENDS[name](app.config)


def get_storage():
    return current_app.extensions["hearth_storage"]


def read_object(key):
    """All of an object's bytes."""
    with get_storage().open(key) as file:
        return file.read()


def save_in_transaction(session, data, suffix=""):
    """Save now; if the session's transaction rolls back, the object is deleted again."""
    key = get_storage().save(data, suffix)
    session.info.setdefault(_SAVED, []).append(key)
    return key


def delete_after_commit(session, key):
    """Delete the object once the session commits (a rollback keeps it)."""
    if key:
        session.info.setdefault(_DOOMED, []).append(key)


@event.listens_for(Session, "after_commit")
def _settle_objects(session):
    session.info.pop(_SAVED, None)
    for key in session.info.pop(_DOOMED, []):
        try:
            get_storage().delete(key)
        except Exception:  # the row is gone: a left-over object costs disk, not data
            log.warning("could not delete stored object %s", key, exc_info=True)


@event.listens_for(Session, "after_soft_rollback")
def _drop_unsaved_objects(session, previous_transaction):
    if previous_transaction.nested:
        return
    session.info.pop(_DOOMED, None)
    for key in session.info.pop(_SAVED, []):
        try:
            get_storage().delete(key)
        except Exception:
            log.warning("could not delete stored object %s", key, exc_info=True)
