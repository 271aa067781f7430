"""Groups, who is in them, who is invited, and what happened to their membership."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.timeutil import UTCDateTime, utcnow

VISIBILITIES = ("public", "private")
JOIN_POLICIES = ("open", "approval", "invitation")
ROLES = ("owner", "organiser", "member")
MANAGER_ROLES = ("owner", "organiser")


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[str] = mapped_column(sa.String(10), default="public")
    join_policy: Mapped[str] = mapped_column(sa.String(12), default="open")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_at = mapped_column(UTCDateTime, nullable=True)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(f"visibility IN {VISIBILITIES}", name="visibility"),
        sa.CheckConstraint(f"join_policy IN {JOIN_POLICIES}", name="join_policy"),
    )

    @property
    def is_public(self):
        return self.visibility == "public"

    def __repr__(self):
        return f"<Group {self.slug}>"


class GroupSlug(db.Model):
    """A slug a group had before: shared links keep working after a rename."""

    __tablename__ = "group_slugs"

    slug: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))


class Membership(db.Model):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="member")
    status: Mapped[str] = mapped_column(sa.String(10), default="active")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    group: Mapped[Group] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("group_id", "user_id", name="uq_memberships_group_user"),
        sa.CheckConstraint(f"role IN {ROLES}", name="role"),
        sa.CheckConstraint("status IN ('active', 'pending')", name="status"),
    )

    @property
    def is_active(self):
        return self.status == "active"

    @property
    def can_manage(self):
        return self.is_active and self.role in MANAGER_ROLES

    @property
    def is_owner(self):
        return self.is_active and self.role == "owner"


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(320))
    email_normalized: Mapped[str] = mapped_column(sa.String(320), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="member")
    message: Mapped[str] = mapped_column(sa.Text, default="")
    nonce_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_sent_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    accepted_at = mapped_column(UTCDateTime, nullable=True)
    revoked_at = mapped_column(UTCDateTime, nullable=True)

    group: Mapped[Group] = relationship()
    invited_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.CheckConstraint("role IN ('organiser', 'member')", name="role"),)

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None and utcnow() < self.expires_at


class MembershipEvent(db.Model):
    """One line of a group's membership history: who did what to whom, and when."""

    __tablename__ = "membership_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    subject_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    subject_email: Mapped[str | None] = mapped_column(sa.String(320), nullable=True)
    action: Mapped[str] = mapped_column(sa.String(32))
    detail: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])
