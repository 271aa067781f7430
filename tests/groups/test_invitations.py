"""Invitations by email: sending, the link's life (single use, expiry, revoking), resending."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.auth import (
    field_error,
    html,
    link_problem_reason,
    tampered,
)
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import Invitation

IVY = "ivy@example.org"


@pytest.fixture
def team(app):
    """Book Club, private and by invitation: Olga owns it, Omar organises, Mina is a member."""
    with app.app_context():
        olga, omar, mina = (
            make_user(email=f"{first.lower()}@example.org", first_name=first, last_name=last)
            for first, last in (("Olga", "Owens"), ("Omar", "Ortiz"), ("Mina", "Moss"))
        )
        group = make_group(
            olga, name="Book Club", slug="book-club", visibility="private", join_policy="invitation"
        )
        add_member(group, omar, "organiser")
        add_member(group, mina)
    return SimpleNamespace(
        page="/groups/book-club", invitations="/groups/book-club/manage/invitations"
    )


def invite(client, team, email=IVY, role="member", message="", htmx=False):
    data = {"email": email, "role": role, "message": message}
    return client.submit(team.invitations, data, htmx=htmx)


def stored_invitation(app, email=IVY):
    with app.app_context():
        return db.session.scalar(sa.select(Invitation).where(Invitation.email == email))


def move_invitation(app, email=IVY, **columns):
    """Change when an invitation was sent or expires, as waiting would."""
    with app.app_context():
        db.session.execute(sa.update(Invitation).where(Invitation.email == email).values(**columns))
        db.session.commit()


def invitation_action(client, app, team, action, email=IVY):
    invitation_id = stored_invitation(app, email).id
    return client.submit(f"{team.invitations}/{invitation_id}/{action}")


@pytest.fixture
def organiser(client, auth, team):
    auth.login("omar@example.org")
    return client


def test_an_organiser_invites_by_email_with_a_role_and_a_message(app, organiser, team, mailbox):
    response = invite(organiser, team, role="organiser", message="Join us on Thursdays.")

    assert response.status_code == 303
    assert response.location == team.invitations
    page = html(organiser.get(response.location))
    assert f"Invitation sent to {IVY}." in page
    assert re.search(rf"<td[^>]*>{IVY}</td>\s*<td[^>]*>Organiser</td>", page)
    message = mailbox.last(IVY)
    assert message["Subject"] == "Omar Ortiz invited you to Book Club on Hearth"
    text = mailbox.text(message)
    assert "join Book Club on Hearth as an organiser" in text
    assert "Join us on Thursdays." in text
    assert re.fullmatch(r"/invitations/[\w.-]+", mailbox.link(IVY))
    assert stored_invitation(app).role == "organiser"


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "MINA@example.org"}, "This person is already a member of the group."),
        ({"email": "omar@example.org"}, "This person is already a member of the group."),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"email": ""}, "Enter"),
    ],
    ids=["member", "organiser", "invalid", "empty"],
)
def test_inviting_a_member_or_a_bad_address_is_refused_next_to_the_email(
    app, organiser, team, mailbox, data, message, htmx
):
    response = invite(organiser, team, **data, htmx=htmx)

    assert response.status_code == 422
    assert message in field_error(response, "email")
    assert html(response).lstrip().startswith('<form id="invite-form"') is htmx
    assert mailbox.messages() == []


def test_inviting_an_address_already_invited_says_so(app, organiser, team, mailbox):
    invite(organiser, team)

    response = invite(organiser, team, email=IVY.upper())

    assert response.status_code == 422
    assert field_error(response, "email") == (
        "This address is already invited. You can resend the invitation."
    )
    assert len(mailbox.messages(IVY)) == 1


@pytest.mark.parametrize(
    ("data", "field_id"),
    [({"role": "owner"}, "role"), ({"message": "m" * 1001}, "message")],
)
def test_an_invitation_with_a_bad_role_or_message_is_refused(organiser, team, data, field_id):
    response = invite(organiser, team, **data)

    assert response.status_code == 422
    assert field_error(response, field_id)


@pytest.mark.parametrize(("email", "status"), [("mina@example.org", 403), ("ivy@x.org", 404)])
def test_members_and_outsiders_cannot_invite(app, client, auth, team, email, status):
    with app.app_context():
        make_user(email="ivy@x.org")
    auth.login(email)

    assert client.get(team.invitations).status_code == status
    assert invite(client, team).status_code == status
    assert stored_invitation(app) is None


@pytest.fixture
def link(organiser, team, mailbox):
    """The link emailed to Ivy, invited as an organiser."""
    assert invite(organiser, team, role="organiser").status_code == 303
    return mailbox.link(IVY)


def test_a_tampered_link_gets_a_400_page(client, link):
    response = client.get(tampered(link))

    assert response.status_code == 400
    assert link_problem_reason(response) == "tampered"


def test_an_expired_link_stops_working(app, client, link):
    move_invitation(app, expires_at=utcnow() - timedelta(seconds=1))

    response = client.get(link)

    assert response.status_code == 400
    assert link_problem_reason(response) == "expired"
    assert "7 days" in html(response)


def test_an_invitation_lasts_seven_days(app, link):
    invitation = stored_invitation(app)

    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_a_revoked_link_says_it_was_withdrawn(app, organiser, team, link):
    response = invitation_action(organiser, app, team, "revoke")

    assert response.status_code == 303
    page = html(organiser.get(team.invitations))
    assert f"Invitation to {IVY} revoked." in page
    assert f">{IVY}</td>" not in page
    problem = organiser.get(link)
    assert problem.status_code == 400
    assert link_problem_reason(problem) == "revoked"
    assert "This invitation was withdrawn" in html(problem)


def test_resending_waits_a_few_minutes_then_sends_a_new_link(app, organiser, team, mailbox, link):
    too_soon = invitation_action(organiser, app, team, "resend")

    assert too_soon.status_code == 303
    assert "It was sent moments ago. Try again in 5 minutes." in html(
        organiser.get(team.invitations)
    )
    assert len(mailbox.messages(IVY)) == 1

    move_invitation(app, last_sent_at=utcnow() - timedelta(minutes=10))
    later = invitation_action(organiser, app, team, "resend")

    assert later.status_code == 303
    assert f"Invitation to {IVY} sent again." in html(organiser.get(team.invitations))
    assert len(mailbox.messages(IVY)) == 2
    new_link = mailbox.link(IVY)
    assert new_link != link
    assert organiser.get(link).status_code == 400
    assert organiser.get(new_link).status_code == 200


def test_the_wait_before_resending_reads_in_the_singular_for_one_minute(app, organiser, team, link):
    move_invitation(app, last_sent_at=utcnow() - timedelta(minutes=4, seconds=10))

    invitation_action(organiser, app, team, "resend")

    page = html(organiser.get(team.invitations))
    assert "It was sent moments ago. Try again in 1 minute." in page
    assert "1 minutes" not in page


def test_a_revoked_or_accepted_invitation_cannot_be_resent(app, organiser, team, mailbox, link):
    invitation_action(organiser, app, team, "revoke")
    move_invitation(app, last_sent_at=utcnow() - timedelta(minutes=10))

    invitation_action(organiser, app, team, "resend")

    assert "Only pending invitations can be resent." in html(organiser.get(team.invitations))
    assert len(mailbox.messages(IVY)) == 1


def test_the_history_records_inviting_resending_and_revoking(app, organiser, team, link):
    move_invitation(app, last_sent_at=utcnow() - timedelta(minutes=10))
    invitation_action(organiser, app, team, "resend")
    invitation_action(organiser, app, team, "revoke")

    page = " ".join(html(organiser.get("/groups/book-club/manage/history")).split())

    for line in ("revoked the invitation to", "resent the invitation to", "invited"):
        assert f"Omar Ortiz {line} {IVY}" in page
