"""The zip of a download of one's data: which JSON file each part goes into, in what
order, and the uploaded files' bytes under files/. The parts are read in export_account
and export_contents; this module names them and packs them with the uploads."""

import io
import json
import zipfile

from webapp.storage import StorageError, read_object
from webapp.your_data.export_account import notification_settings, profile, sessions
from webapp.your_data.export_contents import (
    announcements_read,
    answers_to_questions,
    attendance,
    comments,
    events_cohosted,
    events_created,
    feedback,
    invitations_received,
    invitations_sent,
    memberships,
    polls_created,
    rsvps,
    tasks_assigned,
    tasks_created,
    uploads,
    votes,
)

# Uploaded files go into the zip with their bytes up to this much in all; past it, their
# details only (the files stay downloadable from their events).
FILE_BYTES_LIMIT = 200 * 1024 * 1024


def json_parts(user):
    """Each JSON file's name and what it holds, in the zip's order."""
    return {
        "profile.json": profile(user),
        "memberships.json": memberships(user),
        "invitations_sent.json": invitations_sent(user),
        "invitations_received.json": invitations_received(user),
        "events_created.json": events_created(user),
        "events_cohosted.json": events_cohosted(user),
        "rsvps.json": rsvps(user),
        "attendance.json": attendance(user),
        "answers_to_questions.json": answers_to_questions(user),
        "announcements_read.json": announcements_read(user),
        "polls_created.json": polls_created(user),
        "votes.json": votes(user),
        "tasks_created.json": tasks_created(user),
        "tasks_assigned.json": tasks_assigned(user),
        "feedback.json": feedback(user),
        "comments.json": comments(user),
        "sessions.json": sessions(user),
        "notification_settings.json": notification_settings(user),
    }


def _json(value):
    return json.dumps(value, indent=2, ensure_ascii=False, default=str).encode()


def _upload_details(stored, event_title):
    return {
        "name": stored.name,
        "event": event_title,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "uploaded_at": stored.created_at,
        "in_this_zip": None,
    }


def _read_upload(stored):
    """The upload's bytes, or None when storage has lost them: the rest of the download
    is still worth having."""
    try:
        return read_object(stored.storage_key)
    except StorageError:
        return None


def _path_in_zip(stored):
    # The id first: two uploads of one name do not collide.
    safe_name = stored.name.replace("/", "_").replace("\\", "_")
    return f"files/{stored.id}-{safe_name}"


def add_uploads(archive, user):
    """Write the person's uploads into files/ while FILE_BYTES_LIMIT allows, and return
    every upload's details, each saying where in the zip it is (None if it is not)."""
    listed, budget = [], FILE_BYTES_LIMIT
    for stored, event_title in uploads(user):
        entry = _upload_details(stored, event_title)
        data = _read_upload(stored) if stored.size <= budget else None
        if data is not None:
            entry["in_this_zip"] = _path_in_zip(stored)
            archive.writestr(entry["in_this_zip"], data)
            budget -= len(data)
        listed.append(entry)
    return listed


def build_zip(user):
    """The zip's bytes: one JSON file per kind of data, and files/ with the uploads."""
    parts = json_parts(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        parts["files_uploaded.json"] = add_uploads(archive, user)
        for name, value in parts.items():
            archive.writestr(name, _json(value))
    return buffer.getvalue()
