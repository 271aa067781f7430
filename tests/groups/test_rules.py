"""Rules of group roles that attackers probe: who may touch organisers, what an invitation
grants, what a moved address reveals, and that each rule reads roles as they are now."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.groups.test_invitations_accept import IVY, logged_in, memberships
from tests.support.auth import html, link_problem_reason, login_data, signup_data
from webapp.accounts.models import User
from webapp.audit.models import AuditEntry
from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.groups.membership import change_role, remove_member, transfer_ownership
from webapp.groups.models import Group, Membership


@pytest.fixture
def invited(app, mailbox):
    """Book Club is private; Omar, its organiser, invited Ivy as an organiser: the path of
    the emailed link."""
    with app.app_context():
        olga = make_user(email="olga@example.org")
        omar = make_user(email="omar@example.org")
        group = make_group(olga, name="Book Club", slug="book-club", visibility="private")
        add_member(group, omar, "organiser")
    data = {"email": IVY, "role": "organiser", "message": ""}
    omar_client = logged_in(app, "omar@example.org")
    assert omar_client.submit("/groups/book-club/manage/invitations", data).status_code == 303
    return mailbox.link(IVY)


@pytest.fixture
def organisers(app):
    """Olga owns Book Club; Omar and Oona organise it; Mina is a member."""
    with app.app_context():
        people = {key: make_user(email=f"{key}@example.org") for key in ("olga", "omar", "oona")}
        people["mina"] = make_user(email="mina@example.org")
        group = make_group(people["olga"], name="Book Club", slug="book-club")
        ids = {
            "oona": add_member(group, people["oona"], "organiser").id,
            "mina": add_member(group, people["mina"]).id,
        }
        add_member(group, people["omar"], "organiser")
        return ids


def role_of(app, membership_id):
    with app.app_context():
        membership = db.session.get(Membership, membership_id)
        return membership.role if membership else None


MANAGE = "/groups/book-club/manage/members"


@pytest.mark.parametrize("htmx", [False, True])
def test_an_organiser_cannot_demote_a_fellow_organiser(app, organisers, htmx):
    omar = logged_in(app, "omar@example.org")

    response = omar.submit(f"{MANAGE}/{organisers['oona']}/role", {"role": "member"}, htmx=htmx)

    assert response.status_code == 422
    assert "Only owners can change the role of organisers" in html(response)
    assert role_of(app, organisers["oona"]) == "organiser"


def test_an_organiser_cannot_remove_a_fellow_organiser(app, organisers):
    omar = logged_in(app, "omar@example.org")

    omar.submit(f"{MANAGE}/{organisers['oona']}/remove")

    assert role_of(app, organisers["oona"]) == "organiser"
    assert "Only owners can remove organisers" in html(omar.get(MANAGE))


def test_an_organiser_still_promotes_a_member_and_an_owner_demotes_an_organiser(app, organisers):
    omar = logged_in(app, "omar@example.org")
    assert (
        omar.submit(f"{MANAGE}/{organisers['mina']}/role", {"role": "organiser"}).status_code == 303
    )
    assert role_of(app, organisers["mina"]) == "organiser"

    olga = logged_in(app, "olga@example.org")
    assert olga.submit(f"{MANAGE}/{organisers['oona']}/role", {"role": "member"}).status_code == 303
    assert role_of(app, organisers["oona"]) == "member"


@pytest.mark.parametrize("change", ["demoted", "removed", "deactivated"])
def test_an_invitation_grants_no_more_than_its_inviter_may_grant_now(app, invited, change):
    with app.app_context():
        omar = db.session.scalar(sa.select(User).where(User.email == "omar@example.org"))
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == omar.id))
        if change == "demoted":
            membership.role = "member"
        elif change == "removed":
            db.session.delete(membership)
        else:
            omar.active = False
        make_user(email=IVY)
    client = logged_in(app, IVY)

    response = client.submit(invited)

    assert response.status_code == 400
    assert link_problem_reason(response) == "revoked"
    assert memberships(app) == []


def test_verifying_does_not_join_through_an_invitation_whose_inviter_lost_the_right(
    app, client, mailbox, invited
):
    with app.app_context():
        db.session.execute(
            sa.update(Membership).where(Membership.role == "organiser").values(role="member")
        )
        db.session.commit()

    client.submit("/signup", signup_data(email=IVY))
    assert client.submit(mailbox.link(IVY)).status_code == 303

    assert memberships(app) == []


def test_an_invitation_to_a_deleted_group_lets_nobody_in(app, invited):
    with app.app_context():
        make_user(email=IVY)
    olga = logged_in(app, "olga@example.org")
    assert (
        olga.submit(
            "/groups/book-club/manage/delete", {"delete-confirm_name": "Book Club"}
        ).status_code
        == 303
    )
    client = logged_in(app, IVY)

    assert client.get(invited).status_code == 400
    assert client.submit(invited).status_code == 400
    assert memberships(app) == []


def test_a_deactivated_organiser_is_not_told_of_requests(app, mailbox):
    with app.app_context():
        owner = make_user(email="olga@example.org")
        gone = make_user(email="gone@example.org", active=False)
        group = make_group(owner, slug="book-club", join_policy="approval")
        add_member(group, gone, "organiser")
        make_user(email="asker@example.org")
    logged_in(app, "asker@example.org").submit("/groups/book-club/join")

    assert mailbox.messages(to="olga@example.org")
    assert mailbox.messages(to="gone@example.org") == []


@pytest.fixture
def moved(app):
    """A private group renamed from old-name to new-name; Mia is a member."""
    with app.app_context():
        owner = make_user(email="olga@example.org")
        make_user(email="mia@example.org")
        group = make_group(owner, name="Old", slug="old-name", visibility="private")
        add_member(group, db.session.scalar(sa.select(User).where(User.email == "mia@example.org")))
    olga = logged_in(app, "olga@example.org")
    settings = {"name": "New", "slug": "new-name", "visibility": "private", "join_policy": "open"}
    assert olga.submit("/groups/old-name/manage/settings", settings).status_code == 303
    return olga


@pytest.mark.parametrize("who", [None, "outsider@example.org"])
def test_a_private_groups_old_address_tells_outsiders_nothing(app, client, moved, who):
    if who:
        with app.app_context():
            make_user(email=who)
        client.submit("/login", login_data(who))

    response = client.get("/groups/old-name")

    assert response.status_code == 404
    assert "new-name" not in html(response)


def test_a_member_follows_the_old_address_of_a_private_group(app, moved):
    mia = logged_in(app, "mia@example.org")

    response = mia.get("/groups/old-name")

    assert response.status_code == 301
    assert response.location.endswith("/groups/new-name")


def test_a_form_posted_to_a_moved_address_keeps_its_method(app, moved):
    mia = logged_in(app, "mia@example.org")

    response = mia.submit("/groups/old-name/leave")

    assert response.status_code == 308
    assert response.location.endswith("/groups/new-name/leave")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1


@pytest.mark.parametrize("rule", ["change_role", "remove_member", "transfer_ownership"])
def test_rules_read_the_actors_role_as_it_is_now_not_as_loaded(app, rule):
    """An owner demoted by someone else a moment ago acts with what they have now."""
    with app.app_context():
        olga, bob, mina = make_user(), make_user(), make_user()
        group = make_group(olga)
        add_member(group, bob, "owner")
        subject = add_member(group, mina, "organiser")
        actor = db.session.get(User, olga.id)
        group = db.session.get(Group, group.id)
        # Loaded in this session; another transaction demotes Olga after.
        assert db.session.scalar(
            sa.select(Membership).where(Membership.user_id == olga.id)
        ).is_owner
        with db.engine.begin() as other:
            other.execute(
                sa.update(Membership).where(Membership.user_id == olga.id).values(role="member")
            )
        act = {
            "change_role": lambda: change_role(actor, group, subject, "member"),
            "remove_member": lambda: remove_member(actor, group, subject),
            "transfer_ownership": lambda: transfer_ownership(actor, group, subject),
        }[rule]

        with pytest.raises(RuleError, match="Only owners"):
            act()
        db.session.rollback()
