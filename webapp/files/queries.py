"""Reads of files: an event's files with their uploaders, newest first, in one query."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from webapp.extensions import db
from webapp.files.models import StoredFile

_FILES_OF_EVENT = (
    sa.select(StoredFile)
    .options(joinedload(StoredFile.uploader))
    .where(StoredFile.event_id == sa.bindparam("event_id"))
    .order_by(StoredFile.created_at.desc(), StoredFile.id.desc())
)


def files_of_event(event):
    files = db.session.scalars(_FILES_OF_EVENT, {"event_id": event.id}).all()
    for stored in files:
        # Known already: asking for it must not load it again.
        set_committed_value(stored, "event", event)
    return files
