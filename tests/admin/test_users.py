"""The admin's people: search and pages, deactivating (sessions end at once, the login
refuses with a reason), reactivating, and site admin rights (never the last one)."""

import threading

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import make_group
from tests.support.auth import login_data
from tests.support.html_checks import by_id
from webapp.accounts.models import User, UserSession
from webapp.audit.models import AuditEntry
from webapp.auth.session_loader import SESSION_ENDED
from webapp.database.times import utcnow
from webapp.extensions import db


@pytest.fixture
def people(app):
    with app.app_context():
        admin = make_user(
            email="admin@example.org", first_name="Ada", last_name="Admin", is_site_admin=True
        )
        pat = make_user(email="Pat.Person@example.org", first_name="Pat", last_name="Parsnip")
        return {"admin": admin.id, "pat": pat.id}


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    client.get("/")  # the welcome flash, shown once
    return client


def audit_actions(app):
    with app.app_context():
        return [
            (entry.action.value, entry.subject_id)
            for entry in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        ]


def user_row(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id)


def test_the_search_finds_people_by_name_or_address_whatever_the_case(app, people):
    admin = logged_in(app, "admin@example.org")

    by_name = admin.fragment("/admin/users?q=PAT PARS").get_data(as_text=True)
    by_address = admin.fragment("/admin/users?q=pat.person@EXAMPLE").get_data(as_text=True)
    nobody = admin.fragment("/admin/users?q=zebra").get_data(as_text=True)

    assert "Pat.Person@example.org" in by_name and "admin@example.org" not in by_name
    assert "Pat.Person@example.org" in by_address
    assert "Nobody matches “zebra”" in nobody


def test_the_list_is_a_page_or_its_fragment_and_pages_through_everyone(app, people):
    with app.app_context():
        for number in range(30):
            make_user(email=f"crowd{number:02}@example.org")
    admin = logged_in(app, "admin@example.org")

    page = admin.get("/admin/users")
    fragment = admin.fragment("/admin/users?page=2")

    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert by_id(body, "admin-users") is not None
    # 32 people, 25 a page, newest first: the second page holds the 7 oldest.
    assert "admin@example.org" in body and "crowd04@example.org" in body
    assert "crowd05@example.org" not in body


def test_a_search_too_long_is_refused_beside_the_box(app, people):
    admin = logged_in(app, "admin@example.org")

    response = admin.get("/admin/users?q=" + "x" * 101)

    assert response.status_code == 422
    assert "At most 100 characters." in response.get_data(as_text=True)


def test_deactivating_ends_the_persons_sessions_at_once(app, people):
    pat = logged_in(app, "pat.person@example.org")
    phone = logged_in(app, "pat.person@example.org")
    admin = logged_in(app, "admin@example.org")

    asked = admin.get(f"/admin/users/{people['pat']}/deactivate")
    done = admin.submit(f"/admin/users/{people['pat']}/deactivate")

    assert asked.status_code == 200 and "Deactivate Pat Parsnip?" in asked.get_data(as_text=True)
    assert done.status_code == 303
    assert "Pat Parsnip is deactivated" in admin.get(done.location).get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(UserSession)
                .where(UserSession.user_id == people["pat"])
            )
            == 0
        )
    # The next click of each of Pat's devices: logged out, told why, sent to log in.
    settings = pat.get("/settings")
    assert settings.status_code in (302, 303) and settings.location.startswith("/login")
    assert SESSION_ENDED in pat.get(settings.location).get_data(as_text=True)
    home = phone.get("/").get_data(as_text=True)
    assert SESSION_ENDED in home and "Log out" not in home
    # ...and said once only.
    assert SESSION_ENDED not in phone.get("/").get_data(as_text=True)
    refused = app.test_client().submit("/login", login_data("pat.person@example.org"))
    assert refused.status_code == 422
    assert "This account has been deactivated" in refused.get_data(as_text=True)
    assert audit_actions(app) == [("user_deactivated", people["pat"])]


def test_a_reactivated_person_can_log_in_again(app, people):
    with app.app_context():
        db.session.get(User, people["pat"]).active = False
        db.session.commit()
    admin = logged_in(app, "admin@example.org")

    assert admin.submit(f"/admin/users/{people['pat']}/reactivate").status_code == 303

    assert (
        app.test_client().submit("/login", login_data("pat.person@example.org")).status_code == 303
    )
    assert audit_actions(app) == [("user_reactivated", people["pat"])]


def test_an_admin_cannot_deactivate_themselves(app, people):
    admin = logged_in(app, "admin@example.org")

    response = admin.submit(f"/admin/users/{people['admin']}/deactivate")

    assert response.status_code == 422
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    assert user_row(app, people["admin"]).active
    assert audit_actions(app) == []


def test_making_and_unmaking_a_site_admin(app, people):
    admin = logged_in(app, "admin@example.org")

    assert admin.submit(f"/admin/users/{people['pat']}/make-admin").status_code == 303
    assert user_row(app, people["pat"]).is_site_admin
    assert logged_in(app, "pat.person@example.org").get("/admin").status_code == 200
    assert admin.submit(f"/admin/users/{people['pat']}/unmake-admin").status_code == 303

    assert not user_row(app, people["pat"]).is_site_admin
    assert audit_actions(app) == [
        ("admin_granted", people["pat"]),
        ("admin_revoked", people["pat"]),
    ]


def test_the_last_active_admin_stays_one(app, people):
    admin = logged_in(app, "admin@example.org")

    response = admin.submit(f"/admin/users/{people['admin']}/unmake-admin")

    assert response.status_code == 422
    assert "There must always be an active site admin" in response.get_data(as_text=True)
    assert user_row(app, people["admin"]).is_site_admin


def test_a_deactivated_admin_does_not_count_as_the_other_one(app, people):
    with app.app_context():
        make_user(email="gone@example.org", is_site_admin=True, active=False)
    admin = logged_in(app, "admin@example.org")

    response = admin.submit(f"/admin/users/{people['admin']}/unmake-admin")

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/admin/users/999999/deactivate", 404),
        ("/admin/users/99999999999999999999/deactivate", 404),
        ("/admin/users/abc/deactivate", 404),
        ("/admin/users/{pat}/explode", 404),
    ],
)
def test_wrong_people_and_actions_are_not_found(app, people, path, status):
    admin = logged_in(app, "admin@example.org")

    assert admin.submit(path.format(**people)).status_code == status


def test_an_action_without_its_csrf_token_changes_nothing(app, people):
    admin = logged_in(app, "admin@example.org")

    response = admin.submit(f"/admin/users/{people['pat']}/deactivate", csrf=False)

    assert response.status_code == 400
    assert user_row(app, people["pat"]).active


@pytest.mark.postgres
@pytest.mark.parametrize("round_", range(3))
def test_two_admins_unmaking_each_other_at_once_leave_one(app, people, round_):
    with app.app_context():
        other = make_user(email="other@example.org", is_site_admin=True).id
    clients = [logged_in(app, "admin@example.org"), logged_in(app, "other@example.org")]
    urls = [f"/admin/users/{other}/unmake-admin", f"/admin/users/{people['admin']}/unmake-admin"]
    tokens = [client.csrf_token() for client in clients]
    barrier = threading.Barrier(2)
    statuses = [None, None]

    def send(index):
        barrier.wait()
        statuses[index] = (
            clients[index].post(urls[index], headers={"X-CSRFToken": tokens[index]}).status_code
        )

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # One wins. The other is refused under the lock (422), or, when it arrived after the
    # winner had committed, is no longer an admin and finds no admin page there (404).
    assert sorted(statuses) in ([303, 404], [303, 422])
    with app.app_context():
        admins = db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.is_site_admin.is_(True))
        )
    assert admins == 1


def test_the_question_comes_as_a_page_or_as_the_dialogs_fragment(app, people):
    admin = logged_in(app, "admin@example.org")

    page = admin.get(f"/admin/users/{people['pat']}/make-admin")
    fragment = admin.fragment(f"/admin/users/{people['pat']}/make-admin")

    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert by_id(body, "admin-confirm") is not None
    assert "Make Pat Parsnip a site admin?" in body
    assert not user_row(app, people["pat"]).is_site_admin


@pytest.mark.parametrize("how_many", [1, 2])
def test_the_overview_counts_deactivated_people_and_suspended_groups(app, people, how_many):
    """The numbers in brackets take their plural form: "(1 deactivated)", "(2 suspended)"."""
    with app.app_context():
        owner = db.session.get(User, people["pat"])
        for n in range(how_many):
            make_user(email=f"gone{n}@example.org", active=False)
            make_group(owner, name=f"Quiet club {n}").suspended_at = utcnow()
        make_group(owner, name="Busy club")
        db.session.commit()

    body = logged_in(app, "admin@example.org").get("/admin").get_data(as_text=True)

    assert f"{2 + how_many} ({how_many} deactivated)" in body
    assert f"{1 + how_many} ({how_many} suspended)" in body
