"""The account's own part of a download of one's data: the profile, the logins and the
notification settings, as the person set them. What they did in groups and events is in
export_contents."""

import sqlalchemy as sa

from webapp.accounts.models import UserSession
from webapp.announcements.models import AnnouncementDelivery
from webapp.digest.models import DigestGroupLeftOut
from webapp.digest.settings import frequency_of
from webapp.discussions.models import Discussion, Following
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.your_data.export_contents import rows_of


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


def sessions(user):
    # Never the token hashes: a login's details, not what would name it.
    return rows_of(
        sa.select(UserSession.created_at, UserSession.last_seen_at, UserSession.user_agent)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.id)
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
        "comments_followed": rows_of(
            sa.select(
                sa.func.coalesce(Discussion.title, Event.title).label("thread"),
                Following.following.label("by_email"),
            )
            .join(Discussion, Discussion.id == Following.discussion_id)
            .outerjoin(Event, Event.id == Discussion.event_id)
            .where(Following.user_id == user.id)
            .order_by(Following.discussion_id)
        ),
        "announcements": rows_of(
            sa.select(Group.name.label("group"), AnnouncementDelivery.delivery)
            .join(Group, Group.id == AnnouncementDelivery.group_id)
            .where(AnnouncementDelivery.user_id == user.id)
            .order_by(Group.name)
        ),
    }
