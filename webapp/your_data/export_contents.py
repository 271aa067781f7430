"""What a download of one's data holds: JSON files of everything Hearth keeps about a
person, and the files they uploaded, in one zip. Each file is one query, whatever the
number of rows; only the person's own rows, and of others only what names the context
(a group's or an event's name), never another member's name or address."""

import io
import json
import zipfile

import sqlalchemy as sa

from webapp.accounts.models import UserSession
from webapp.announcements.models import Announcement, AnnouncementDelivery, AnnouncementRead
from webapp.digest.models import DigestGroupLeftOut
from webapp.digest.settings import frequency_of
from webapp.discussions.models import Comment, Discussion, Following
from webapp.events.checkin.models import CheckIn
from webapp.events.cohosts.models import EventCohost
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.events.models import Event
from webapp.events.questions.models import EventQuestion, QuestionAnswer
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db
from webapp.feedback.models import Feedback
from webapp.files.models import StoredFile
from webapp.groups.models import Group, Invitation, Membership
from webapp.polls.models import Poll, PollOption, Vote
from webapp.storage import StorageError, read_object
from webapp.tasks.models import Task

# Uploaded files go into the zip with their bytes up to this much in all; past it, their
# details only (the files stay downloadable from their events).
FILE_BYTES_LIMIT = 200 * 1024 * 1024


def _rows(statement):
    return [dict(row._mapping) for row in db.session.execute(statement)]


def profile(user):
    return {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email_verified_at": user.email_verified_at,
        "time_zone": user.time_zone,
        "appearance": user.appearance,
        "language": user.language,
        "site_admin": user.is_site_admin,
        "created_at": user.created_at,
    }


def memberships(user):
    return _rows(
        sa.select(
            Group.name.label("group"),
            Group.slug.label("group_address"),
            Membership.role,
            Membership.status,
            Membership.created_at.label("since"),
        )
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    )


def _invitations(condition, *columns):
    return _rows(
        sa.select(
            Group.name.label("group"),
            *columns,
            Invitation.role,
            Invitation.created_at.label("sent_at"),
            Invitation.expires_at,
            Invitation.accepted_at,
            Invitation.revoked_at,
        )
        .join(Group, Group.id == Invitation.group_id)
        .where(condition)
        .order_by(Invitation.id)
    )


def invitations_sent(user):
    # The addresses they typed are theirs to see again; who accepted is not said.
    return _invitations(
        Invitation.invited_by_id == user.id, Invitation.email.label("to"), Invitation.message
    )


def invitations_received(user):
    return _invitations(Invitation.email_normalized == user.email_normalized)


def events_created(user):
    return _rows(
        sa.select(
            Event.id,
            Event.title,
            Group.name.label("group"),
            Event.starts_at,
            Event.ends_at,
            Event.status,
            Event.created_at,
        )
        .join(Group, Group.id == Event.group_id)
        .where(Event.created_by_id == user.id)
        .order_by(Event.id)
    )


def events_cohosted(user):
    return _rows(
        sa.select(
            Event.id,
            Event.title,
            Group.name.label("group"),
            Event.starts_at,
            Event.status,
            EventCohost.created_at.label("cohost_since"),
        )
        .join(Event, Event.id == EventCohost.event_id)
        .join(Group, Group.id == Event.group_id)
        .where(EventCohost.user_id == user.id)
        .order_by(Event.starts_at, Event.id)
    )


def rsvps(user):
    return _rows(
        sa.select(
            Event.id.label("event_id"),
            Event.title.label("event"),
            Event.starts_at,
            Rsvp.answer,
            Rsvp.guests,
            Rsvp.answered_at,
        )
        .join(Event, Event.id == Rsvp.event_id)
        .where(Rsvp.user_id == user.id)
        .order_by(Rsvp.id)
    )


def polls_created(user):
    return _rows(
        sa.select(Poll.id, Poll.question, Poll.created_at)
        .where(Poll.created_by_id == user.id)
        .order_by(Poll.id)
    )


def votes(user):
    return _rows(
        sa.select(
            Poll.id.label("poll_id"),
            Poll.question.label("poll"),
            PollOption.label.label("option"),
            Vote.answer,
            Vote.voted_at,
        )
        .join(PollOption, PollOption.id == Vote.option_id)
        .join(Poll, Poll.id == Vote.poll_id)
        .where(Vote.user_id == user.id)
        .order_by(Vote.id)
    )


def _tasks(condition):
    return _rows(
        sa.select(
            Task.id,
            Task.title,
            Task.notes,
            Event.title.label("event"),
            Task.due_on,
            Task.done_at,
            Task.created_at,
        )
        .join(Event, Event.id == Task.event_id)
        .where(condition)
        .order_by(Task.id)
    )


def feedback(user):
    return _rows(
        sa.select(
            Event.title.label("event"),
            Feedback.rating,
            Feedback.comment,
            Feedback.created_at,
            Feedback.updated_at,
        )
        .join(Event, Event.id == Feedback.event_id)
        .where(Feedback.user_id == user.id)
        .order_by(Feedback.id)
    )


def uploads(user):
    return db.session.execute(
        sa.select(StoredFile, Event.title)
        .join(Event, Event.id == StoredFile.event_id)
        .where(StoredFile.uploader_id == user.id)
        .order_by(StoredFile.id)
    ).all()


def sessions(user):
    # Never the token hashes: a login's details, not what would name it.
    return _rows(
        sa.select(UserSession.created_at, UserSession.last_seen_at, UserSession.user_agent)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.id)
    )


def attendance(user):
    return _rows(
        sa.select(
            Event.id.label("event_id"),
            Event.title.label("event"),
            Event.starts_at,
            CheckIn.checked_in_at,
        )
        .join(Event, Event.id == CheckIn.event_id)
        .where(CheckIn.user_id == user.id)
        .order_by(Event.starts_at, Event.id)
    )


def answers_to_questions(user):
    return _rows(
        sa.select(
            Event.id.label("event_id"),
            Event.title.label("event"),
            EventQuestion.text.label("question"),
            QuestionAnswer.text.label("answer"),
            QuestionAnswer.answered_at,
        )
        .join(EventQuestion, EventQuestion.id == QuestionAnswer.question_id)
        .join(Event, Event.id == EventQuestion.event_id)
        .where(QuestionAnswer.user_id == user.id)
        .order_by(Event.starts_at, Event.id, EventQuestion.id)
    )


def announcements_read(user):
    return _rows(
        sa.select(
            Group.name.label("group"),
            Announcement.subject,
            AnnouncementRead.read_at,
        )
        .join(Announcement, Announcement.id == AnnouncementRead.announcement_id)
        .join(Group, Group.id == Announcement.group_id)
        .where(AnnouncementRead.user_id == user.id)
        .order_by(AnnouncementRead.read_at, Announcement.id)
    )


def comments(user):
    """What they wrote under events and in discussions: a removed comment's words are gone
    (its place is kept, so it is listed); one an organiser hid is theirs still, said so."""
    return _rows(
        sa.select(
            Comment.id,
            sa.func.coalesce(Discussion.title, Event.title).label("thread"),
            Comment.parent_id.label("reply_to"),
            Comment.body,
            Comment.created_at,
            Comment.edited_at,
            Comment.removed_at,
            Comment.hidden_at.label("hidden_by_an_organiser_at"),
        )
        .join(Discussion, Discussion.id == Comment.discussion_id)
        .outerjoin(Event, Event.id == Discussion.event_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.id)
    )


def notification_settings(user):
    off = set(
        db.session.scalars(
            sa.select(EventMailOptOut.kind).where(EventMailOptOut.user_id == user.id)
        )
    )
    left_out = db.session.scalars(
        sa.select(Group.name)
        .join(DigestGroupLeftOut, DigestGroupLeftOut.group_id == Group.id)
        .where(DigestGroupLeftOut.user_id == user.id)
        .order_by(Group.name)
    ).all()
    return {
        "email_about_groups_and_events": user.email_notifications,
        "kinds": {
            kind.value: {"label": kind.label, "on": kind not in off} for kind in EventMailKind
        },
        "digest": {"frequency": frequency_of(user), "groups_left_out": left_out},
        "comments_followed": _rows(
            sa.select(
                sa.func.coalesce(Discussion.title, Event.title).label("thread"),
                Following.following.label("by_email"),
            )
            .join(Discussion, Discussion.id == Following.discussion_id)
            .outerjoin(Event, Event.id == Discussion.event_id)
            .where(Following.user_id == user.id)
            .order_by(Following.discussion_id)
        ),
        "announcements": _rows(
            sa.select(Group.name.label("group"), AnnouncementDelivery.delivery)
            .join(Group, Group.id == AnnouncementDelivery.group_id)
            .where(AnnouncementDelivery.user_id == user.id)
            .order_by(Group.name)
        ),
    }


def _json(value):
    return json.dumps(value, indent=2, ensure_ascii=False, default=str).encode()


def build_zip(user):
    """The zip's bytes: one JSON file per kind of data, and files/ with the uploads."""
    parts = {
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
        "tasks_created.json": _tasks(Task.created_by_id == user.id),
        "tasks_assigned.json": _tasks(Task.assignee_id == user.id),
        "feedback.json": feedback(user),
        "comments.json": comments(user),
        "sessions.json": sessions(user),
        "notification_settings.json": notification_settings(user),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        listed, budget = [], FILE_BYTES_LIMIT
        for stored, event_title in uploads(user):
            entry = {
                "name": stored.name,
                "event": event_title,
                "content_type": stored.content_type,
                "size": stored.size,
                "sha256": stored.sha256,
                "uploaded_at": stored.created_at,
                "in_this_zip": None,
            }
            if stored.size <= budget:
                try:
                    data = read_object(stored.storage_key)
                except StorageError:
                    data = None
                if data is not None:
                    # The id first: two uploads of one name do not collide.
                    safe_name = stored.name.replace("/", "_").replace("\\", "_")
                    entry["in_this_zip"] = f"files/{stored.id}-{safe_name}"
                    archive.writestr(entry["in_this_zip"], data)
                    budget -= len(data)
            listed.append(entry)
        parts["files_uploaded.json"] = listed
        for name, value in parts.items():
            archive.writestr(name, _json(value))
    return buffer.getvalue()
