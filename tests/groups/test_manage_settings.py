"""A group's settings (letting people without an account answer its events among them),
handing it over, deleting it, and the history of its membership."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.auth import field_error, html
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Group, Membership


@pytest.fixture
def team(app):
    """Book Club (slug book-club): Olga owns it, Omar organises, Mina is a member."""
    with app.app_context():
        olga, omar, mina = (
            make_user(email=f"{first.lower()}@example.org", first_name=first, last_name=last)
            for first, last in (("Olga", "Owens"), ("Omar", "Ortiz"), ("Mina", "Moss"))
        )
        group = make_group(olga, name="Book Club", slug="book-club")
        make_group(olga, name="Chess Club", slug="chess")
        return SimpleNamespace(
            group_id=group.id,
            manage="/groups/book-club/manage",
            omar=add_member(group, omar, "organiser").id,
            mina=add_member(group, mina).id,
        )


def stored_group(app, team):
    with app.app_context():
        return db.session.get(Group, team.group_id)


def roles(app, team):
    """Everyone's role in the group, by first name."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(User.first_name, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == team.group_id)
        )
        return dict(rows.all())


def membership_id(app, team, email):
    with app.app_context():
        return db.session.scalar(
            sa.select(Membership.id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.group_id == team.group_id, User.email == email)
        )


def settings_data(**overrides):
    data = {
        "name": "Book Club",
        "slug": "book-club",
        "description": "We read.",
        "visibility": "public",
        "join_policy": "open",
    }
    return {**data, **overrides}


def test_the_settings_page_shows_the_current_settings_and_owner_actions(client, auth, team):
    auth.login("olga@example.org")

    page = html(client.get(f"{team.manage}/settings"))

    assert re.search(r'<input[^>]*id="name"[^>]*value="Book Club"', page)
    assert 'id="owner-actions"' in page
    assert 'name="delete-confirm_name"' in page


def test_organisers_see_settings_without_owner_actions(client, auth, team):
    auth.login("omar@example.org")

    response = client.get(f"{team.manage}/settings")

    assert response.status_code == 200
    assert 'id="owner-actions"' not in html(response)


def test_an_organiser_changes_every_setting_and_the_old_address_redirects(app, client, auth, team):
    auth.login("omar@example.org")
    data = settings_data(
        name="Night Readers",
        slug="night-readers",
        description="Books *after* dark.",
        visibility="private",
        join_policy="approval",
    )

    response = client.submit(f"{team.manage}/settings", data)

    assert response.status_code == 303
    assert response.location == "/groups/night-readers/manage/settings"
    group = stored_group(app, team)
    assert (group.name, group.slug, group.description) == (
        "Night Readers",
        "night-readers",
        "Books *after* dark.",
    )
    assert (group.visibility, group.join_policy) == ("private", "approval")
    moved = client.get("/groups/book-club")
    assert moved.status_code == 301
    assert moved.location.endswith("/groups/night-readers")


def test_the_owner_lets_people_without_an_account_answer_and_stops_it_again(
    app, client, auth, team
):
    with app.app_context():
        # Another group's event first, so the one that opens is neither first nor alone.
        chess = db.session.scalar(sa.select(Group).where(Group.slug == "chess"))
        blitz_id = make_event(chess, title="Blitz night").id
        reading_id = make_event(db.session.get(Group, team.group_id), title="Reading night").id
    visitor = app.test_client()

    def offers_guests(event_id):
        page = html(visitor.get(f"/events/{event_id}", follow_redirects=True))
        form = visitor.get(f"/events/{event_id}/as-guest").status_code
        assert ("answer without an account" in page) is (form == 200), (event_id, form)
        return form == 200

    assert not offers_guests(reading_id)
    auth.login("olga@example.org")
    assert 'name="allows_guests"' in html(client.get(f"{team.manage}/settings"))

    opened = client.submit(f"{team.manage}/settings", settings_data(allows_guests="y"))
    assert opened.status_code == 303
    assert offers_guests(reading_id) and not offers_guests(blitz_id)
    asked = visitor.submit(
        f"/events/{reading_id}/as-guest",
        {"name": "Vic", "email": "vic@example.org", "answer": "going", "guests": "0"},
    )
    assert asked.status_code == 303

    # The box left unticked: the form says no more.
    assert client.submit(f"{team.manage}/settings", settings_data()).status_code == 303
    assert not offers_guests(reading_id)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"name": "  "}, "name", "Give the group a name."),
        ({"name": "N" * 101}, "name", "longer than 100 characters"),
        ({"slug": "Not OK!"}, "slug", "Use lower-case letters, digits and single hyphens."),
        ({"slug": "x"}, "slug", "between 2 and 60 characters"),
        ({"slug": "chess"}, "slug", "Another group already uses this address."),
        ({"slug": "new"}, "slug", "Another group already uses this address."),
        ({"description": "d" * 5001}, "description", "longer than 5000 characters"),
        ({"visibility": "secret"}, "visibility", "Not a valid choice"),
        ({"join_policy": "anyone"}, "join_policy", "Not a valid choice"),
    ],
)
def test_bad_settings_come_back_with_422_next_to_the_field(
    app, client, auth, team, overrides, field_id, message, htmx
):
    auth.login("omar@example.org")

    response = client.submit(f"{team.manage}/settings", settings_data(**overrides), htmx=htmx)

    assert response.status_code == 422
    assert message in field_error(response, field_id)
    assert html(response).lstrip().startswith('<form id="group-form"') is htmx
    group = stored_group(app, team)
    assert (group.name, group.slug, group.description) == ("Book Club", "book-club", "")


def test_the_owner_transfers_ownership_and_becomes_an_organiser(app, client, auth, team):
    auth.login("olga@example.org")

    response = client.submit(f"{team.manage}/transfer", {"transfer-new_owner": team.mina})

    assert response.status_code == 303
    assert roles(app, team) == {"Olga": "organiser", "Omar": "organiser", "Mina": "owner"}


def test_transfer_to_someone_outside_the_choices_is_refused(app, client, auth, team):
    auth.login("olga@example.org")

    response = client.submit(f"{team.manage}/transfer", {"transfer-new_owner": "999"})

    assert response.status_code == 422
    assert field_error(response, "transfer-new_owner")
    assert roles(app, team)["Olga"] == "owner"


@pytest.mark.parametrize("action", ["transfer", "delete"])
def test_only_owners_transfer_or_delete(app, client, auth, team, action):
    auth.login("omar@example.org")
    data = {"transfer-new_owner": team.omar, "delete-confirm_name": "Book Club"}

    assert client.submit(f"{team.manage}/{action}", data).status_code == 403
    assert roles(app, team)["Omar"] == "organiser"
    assert stored_group(app, team).deleted_at is None


@pytest.mark.parametrize("typed", ["Book", "book club", ""])
def test_delete_needs_the_exact_name(app, client, auth, team, typed):
    auth.login("olga@example.org")

    response = client.submit(f"{team.manage}/delete", {"delete-confirm_name": typed})

    assert response.status_code == 422
    assert field_error(response, "delete-confirm_name")
    assert stored_group(app, team).deleted_at is None


def test_deleting_keeps_the_group_hidden_and_its_pages_answer_404(app, client, auth, team):
    auth.login("olga@example.org")

    response = client.submit(f"{team.manage}/delete", {"delete-confirm_name": "Book Club"})

    assert response.status_code == 303
    assert response.location == "/groups"
    assert stored_group(app, team).deleted_at is not None
    for path in ("/groups/book-club", f"{team.manage}/members", f"{team.manage}/settings"):
        assert client.get(path).status_code == 404
    assert "Book Club" not in html(client.get("/groups"))


def history_lines(response):
    """Each row of the history table as text: (when, what happened)."""
    rows = re.findall(
        r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*</tr>", html(response), re.S
    )
    return [tuple(" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in row) for row in rows]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_history_lists_who_did_what_and_when(app, client, auth, team, htmx):
    with app.app_context():
        make_user(email="nia@example.org", first_name="Nia", last_name="North")
    auth.login("nia@example.org")
    client.submit("/groups/book-club/join")
    auth.logout()
    auth.login("olga@example.org")
    nia = membership_id(app, team, "nia@example.org")
    client.submit(f"{team.manage}/members/{nia}/role", {"role": "organiser"})
    client.submit(f"{team.manage}/invitations", {"email": "guest@example.org", "role": "member"})
    client.submit(f"{team.manage}/members/{team.mina}/remove")

    url = f"{team.manage}/history"
    response = client.fragment(url) if htmx else client.get(url)

    assert response.status_code == 200
    today = datetime.now(UTC).strftime("%d %b %Y")
    lines = history_lines(response)
    assert [what for _, what in lines] == [
        "Olga Owens removed Mina Moss",
        "Olga Owens invited guest@example.org (member)",
        "Olga Owens changed the role of Nia North (member → organiser)",
        "Nia North joined",
    ]
    assert all(when.startswith(today) for when, _ in lines)
    assert html(response).lstrip().startswith('<section id="history">') is htmx
