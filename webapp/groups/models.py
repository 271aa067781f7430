"""Groups, who is in them, who is invited, and what happened to their membership."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.audit.models import AuditAction
from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class Visibility(LabelledEnum):
    PUBLIC = "public", _l("Public")
    PRIVATE = "private", _l("Private")


class JoinPolicy(LabelledEnum):
    OPEN = "open", _l("Anyone can join")
    APPROVAL = "approval", _l("Joining needs approval")
    INVITATION = "invitation", _l("By invitation only")


class Role(LabelledEnum):
    OWNER = "owner", _l("Owner")
    ORGANISER = "organiser", _l("Organiser")
    MEMBER = "member", _l("Member")


MANAGER_ROLES = (Role.OWNER, Role.ORGANISER)
INVITABLE_ROLES = (Role.ORGANISER, Role.MEMBER)


class MembershipStatus(LabelledEnum):
    ACTIVE = "active", _l("Member")
    PENDING = "pending", _l("Asked to join")


# The group history is the audit log read for one group: one vocabulary, not two.
HistoryAction = AuditAction


# The groups lists show: not deleted, not suspended (migration 0017_audit_admin).
LISTED = sa.text("deleted_at IS NULL AND suspended_at IS NULL")


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The description rendered once when it is written (services.set_description), not on
    # every view: Markdown was most of the cost of a page listing groups.
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    # What the groups list shows of it: plain text, cut short, also made at write time
    # (webapp.groups.summary, migration 0009_group_summary).
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    # Active members, kept by triggers on memberships (migration 0005_speed), so that no
    # page counts a big group's members; read-only here.
    member_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Requests to join waiting for a decision, kept by the same triggers (migration
    # 0011_group_pending_count): the members page looks them up only when there are some.
    pending_count: Mapped[int] = mapped_column(default=0, server_default="0")
    visibility: Mapped[Visibility] = mapped_column(
        EnumText(Visibility, 10), default=Visibility.PUBLIC
    )
    join_policy: Mapped[JoinPolicy] = mapped_column(
        EnumText(JoinPolicy, 12), default=JoinPolicy.OPEN
    )
    # Publishing an event offers to announce it to the members, ticked when this is on.
    announce_new_events: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set by webapp.announcements with its first announcement: until then the group's page
    # asks nothing about announcements, as most groups have none.
    has_announcements: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set with the group's first discussion (webapp.discussions): until then its page reads
    # none.
    has_discussions: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set with the first check-in at one of its events' doors (webapp.events.checkin): until
    # then no page asks how often its members came.
    door_used: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # How many days after an event the answers to its questions are kept
    # (webapp.events.questions.retention).
    answers_kept_days: Mapped[int] = mapped_column(default=30, server_default="30")
    # People without an account may answer its public events (webapp.events.guest_answers).
    allows_guests: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Which websites may show its embedded list of events (webapp.open_web.embedding): any,
    # or the origins listed, one a line.
    embed_anywhere: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    embed_sites: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_at = mapped_column(UTCDateTime, nullable=True)
    # Set by a site admin: the group is hidden from all but site admins, and frozen.
    suspended_at = mapped_column(UTCDateTime, nullable=True)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        one_of("visibility", Visibility),
        one_of("join_policy", JoinPolicy),
        # The list's order over live groups, with what it filters by, so a page is a walk
        # along an index rather than a sort of every group (migration 0005_speed).
        sa.Index(
            "ix_groups_live_by_name",
            "name",
            "id",
            "visibility",
            postgresql_where=LISTED,
            sqlite_where=LISTED,
        ),
    )

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC

    @property
    def is_live(self):
        return self.deleted_at is None

    @property
    def is_suspended(self):
        return self.suspended_at is not None

    @property
    def is_open(self):
        """Live and not suspended: people may join, answer, vote and edit."""
        return self.deleted_at is None and self.suspended_at is None

    @property
    def is_on_the_open_web(self):
        """Public, live and not suspended: the feeds, embeds, cards and sitemaps show it."""
        return self.is_public and self.is_open

    @classmethod
    def listed(cls):
        """SQL: the groups lists show (the partial index ix_groups_live_by_name's condition)."""
        return sa.and_(cls.deleted_at.is_(None), cls.suspended_at.is_(None))

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
    role: Mapped[Role] = mapped_column(EnumText(Role, 10), default=Role.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(
        EnumText(MembershipStatus, 10), default=MembershipStatus.ACTIVE
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    group: Mapped[Group] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("group_id", "user_id", name="uq_memberships_group_user"),
        # Member counts per group, and a group's members a page at a time in joining order.
        sa.Index("ix_memberships_group_status", "group_id", "status", "id"),
        # A group's owners and organisers, found without walking all its members; only
        # their rows (migration 0010_group_managers, webapp.groups.queries.MANAGERS_ONLY).
        sa.Index(
            "ix_memberships_managers",
            "group_id",
            "role",
            postgresql_where=sa.text("role <> 'member'"),
            sqlite_where=sa.text("role <> 'member'"),
        ),
        one_of("role", Role),
        one_of("status", MembershipStatus),
    )

    @property
    def is_active(self):
        return self.status == MembershipStatus.ACTIVE

    @property
    def can_manage(self):
        return self.is_active and self.role in MANAGER_ROLES

    @property
    def is_owner(self):
        return self.is_active and self.role == Role.OWNER


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(320))
    email_normalized: Mapped[str] = mapped_column(sa.String(320), index=True)
    role: Mapped[Role] = mapped_column(EnumText(Role, 10), default=Role.MEMBER)
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

    __table_args__ = (one_of("role", INVITABLE_ROLES),)

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None and utcnow() < self.expires_at
