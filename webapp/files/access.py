"""Who may do what with an event's files: the answers of the event, and of its group.

Seeing a file is seeing its event (a private group's files are 404 to outsiders, a draft's
to all but its organisers and co-hosts); uploading takes an active member of the group;
deleting takes the uploader, or an organiser or a co-host of the event.
"""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from webapp.events.access import can_manage_event, find_event
from webapp.extensions import db
from webapp.files.models import StoredFile
from webapp.groups.access import can_take_part

_FILE_OF_EVENT = (
    sa.select(StoredFile)
    .options(joinedload(StoredFile.uploader))
    .where(
        StoredFile.id == sa.bindparam("file_id"), StoredFile.event_id == sa.bindparam("event_id")
    )
)


def can_upload(user, event):
    return can_take_part(user, event.group)


def can_delete_file(user, stored):
    """The uploader (while they may see the event: even after leaving a public group) or an
    organiser of the event."""
    if user.is_authenticated and stored.uploader_id == user.id:
        return True
    return can_manage_event(user, stored.event)


def find_event_for_files(event_id, need=None):
    """The event (404 unless the user may see it), then 403 unless need(user, event)."""
    event = find_event(event_id)
    if need is not None and not need(current_user, event):
        abort(403)
    return event


def find_file(event_id, file_id, need=None):
    """The event's file for the current user: 404 unless they may see the event and the
    file is the event's; 403 unless need(user, file) holds."""
    event = find_event(event_id)
    stored = db.session.scalars(_FILE_OF_EVENT, {"file_id": file_id, "event_id": event.id}).first()
    if stored is None:
        abort(404)
    set_committed_value(stored, "event", event)
    if need is not None and not need(current_user, stored):
        abort(403)
    return stored
