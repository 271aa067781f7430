"""What a download of one's data holds about what a person did: their groups, events,
answers, votes, tasks, feedback, comments and uploads, each read in one query whatever
the number of rows. Only the person's own rows, and of others only what names the context
(a group's or an event's name), never another member's name or address. The account's
own settings are in export_account; export_zip puts them all in one zip."""

import sqlalchemy as sa

from webapp.announcements.models import Announcement, AnnouncementRead
from webapp.discussions.models import Comment, Discussion
from webapp.events.checkin.models import CheckIn
from webapp.events.cohosts.models import EventCohost
from webapp.events.models import Event
from webapp.events.questions.models import EventQuestion, QuestionAnswer
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db
from webapp.feedback.models import Feedback
from webapp.files.models import StoredFile
from webapp.groups.models import Group, Invitation, Membership
from webapp.polls.models import Poll, PollOption, Vote
from webapp.tasks.models import Task


def rows_of(statement):
    """The rows the statement reads, each as a dict of its columns."""
    return [dict(row._mapping) for row in db.session.execute(statement)]


def memberships(user):
    return rows_of(
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
    return rows_of(
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
    return rows_of(
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
    return rows_of(
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
    return rows_of(
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
    return rows_of(
        sa.select(Poll.id, Poll.question, Poll.created_at)
        .where(Poll.created_by_id == user.id)
        .order_by(Poll.id)
    )


def votes(user):
    return rows_of(
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
    return rows_of(
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


def tasks_created(user):
    return _tasks(Task.created_by_id == user.id)


def tasks_assigned(user):
    return _tasks(Task.assignee_id == user.id)


def feedback(user):
    return rows_of(
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


def attendance(user):
    return rows_of(
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
    return rows_of(
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
    return rows_of(
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
    return rows_of(
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
