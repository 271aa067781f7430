"""Who may read and who may write announcements.

A group's announcements are its active members' (and its organisers' and site admins'):
they are not for visitors of a public group, unless its organisers made one public (to
the whole group; anyone may read it once it goes, while the group is on the open web).
One to an event's people is for those whose answer it went to, and for the event's
organisers and co-hosts. Writing to a group takes an organiser of the group, writing to
an event's people an organiser or a co-host of the event, while the group is open and
the event is published and not cancelled; a scheduled one can be edited or withdrawn by
those who may write it, until it goes. A public one that has gone can be made
members-only by its organisers: it leaves the open web, and stays for those it went to.
"""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from webapp.announcements.models import Announcement
from webapp.events.access import can_manage_event, can_see_event
from webapp.events.models import Event
from webapp.events.rsvp.queries import answer_and_place
from webapp.extensions import db
from webapp.groups.access import can_manage, can_see, can_take_part, membership_of
from webapp.groups.models import Group


def reads_group_announcements(user, group):
    if not can_see(user, group):
        return False
    if can_manage(user, group) or (user.is_authenticated and user.is_site_admin):
        return True
    membership = membership_of(user, group)
    return bool(membership and membership.is_active)


def answer_of(user, event):
    """user's answer to event, or None (no query when the event's page read it already)."""
    if not user.is_authenticated:
        return None
    rsvp, _place = answer_and_place(user, event)
    return rsvp.answer if rsvp is not None else None


def manages_announcement(user, announcement):
    """Whose announcement it is: the group's organisers', and for one to an event's people
    the event's co-hosts' too. They see it waiting, withdrawn and with its counts."""
    if announcement.event is not None:
        return can_manage_event(user, announcement.event)
    return can_manage(user, announcement.group)


def received_announcement(user, announcement):
    """Organisers (and an event's co-hosts) have every one that is theirs (waiting and
    withdrawn too); the others one that has gone, if it went to them."""
    group, event = announcement.group, announcement.event
    if event is not None and not can_see_event(user, event):
        return False
    if manages_announcement(user, announcement):
        return True
    if not announcement.is_sent_or_sending:
        return False
    if event is None:
        return reads_group_announcements(user, group)
    return can_take_part(user, group) and answer_of(user, event) in set(
        announcement.audience_answers
    )


def can_see_announcement(user, announcement):
    """Those it went to (received_announcement), and anyone once a public one has gone."""
    if (
        announcement.public
        and announcement.is_sent_or_sending
        and announcement.group.is_on_the_open_web
    ):
        return True
    return received_announcement(user, announcement)


def can_announce_to_group(user, group):
    return can_manage(user, group)


def can_announce_to_event(user, event):
    return can_manage_event(user, event) and not (event.is_draft or event.is_cancelled)


def can_make_members_only(user, announcement):
    """Take a public one that has gone off the open web: whose it is (one still waiting is
    made members-only by editing it)."""
    return (
        announcement.public
        and announcement.is_sent_or_sending
        and manages_announcement(user, announcement)
    )


def can_manage_announcement(user, announcement):
    """Edit or withdraw: whose it is (manages_announcement), while it waits for its time."""
    return announcement.is_scheduled and manages_announcement(user, announcement)


_ANNOUNCEMENT = (
    sa.select(Announcement)
    .join(Group, Group.id == Announcement.group_id)
    .outerjoin(Event, Event.id == Announcement.event_id)
    .options(contains_eager(Announcement.group), contains_eager(Announcement.event))
)


def load_announcement(announcement_id):
    return db.session.scalar(_ANNOUNCEMENT.where(Announcement.id == announcement_id))


def get_announcement(announcement_id, need=can_see_announcement):
    """The announcement for the current user: 404 when it is not theirs to see, 403 when
    need(current_user, announcement) does not hold."""
    announcement = load_announcement(announcement_id)
    if announcement is None or not can_see_announcement(current_user, announcement):
        abort(404)
    if not need(current_user, announcement):
        abort(403)
    return announcement
