"""Downloading one's data: the zip holds the person's data and nothing of anyone else's,
the job is idempotent, the live part answers 204/200/286, the zip is its owner's alone
and kept for 7 days, one request at a time, rate limited, and an email says it is ready."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.conftest import run_worker
from tests.events.factories import make_event
from tests.events.rsvp.support import statements_run
from tests.files.support import make_file
from tests.groups.factories import add_member, make_group, make_invitation
from tests.polls.support import logged_in
from tests.support.auth import html
from tests.your_data.support import (
    OTHER_EMAIL,
    OTHER_NAME,
    answer,
    download_link,
    live_link,
    people_with_everything,
    zip_json,
    zip_members,
)
from webapp.accounts.models import User
from webapp.database.redis_client import get_redis
from webapp.database.times import utcnow
from webapp.events.mail.models import EventMailKind
from webapp.events.mail.settings import save_mail_choices
from webapp.extensions import db
from webapp.your_data.export import (
    build_export,
    export_changed,
    export_topic,
    sweep_expired_exports,
)
from webapp.your_data.export_zip import build_zip
from webapp.your_data.models import DataExport, ExportState

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def exports():
    return db.session.execute(
        sa.select(DataExport.id, DataExport.state, DataExport.storage_key).order_by(DataExport.id)
    ).all()


def ask(client, htmx=False):
    return client.submit("/settings/data/export", htmx=htmx)


def ready_download(app, client):
    """Ask for a download, let the worker build it; the page and the zip's bytes."""
    assert ask(client).status_code == 303
    run_worker(app)
    page = client.get("/settings/data")
    link = download_link(page)
    assert link, "no download link once ready"
    return page, link


def test_the_zip_holds_my_data_and_nothing_of_anyone_else(app, mailbox):
    with app.app_context():
        pair = people_with_everything()
    ann = logged_in(app, pair.email)
    page, link = ready_download(app, ann)
    assert "Your download is ready." in html(page)
    # Its size as the page's language says it (webapp/files/sizes.py), not "Bytes".
    assert re.search(r"Download the zip \(\d[\d.,]* (bytes|kB|MB)\)", html(page))
    response = ann.get(link)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    response.close()
    members = zip_members(data)
    assert {
        "profile.json",
        "memberships.json",
        "invitations_sent.json",
        "invitations_received.json",
        "events_created.json",
        "rsvps.json",
        "attendance.json",
        "answers_to_questions.json",
        "announcements_read.json",
        "votes.json",
        "tasks_created.json",
        "tasks_assigned.json",
        "feedback.json",
        "comments.json",
        "files_uploaded.json",
        "sessions.json",
        "notification_settings.json",
    } <= set(members)
    assert zip_json(data, "profile.json")["email"] == pair.email
    assert "language" in zip_json(data, "profile.json")
    assert [m["group"] for m in zip_json(data, "memberships.json")] == ["Riverside walkers"]
    assert [i["to"] for i in zip_json(data, "invitations_sent.json")] == [
        "friend.of.ann@example.com"
    ]
    assert [i["group"] for i in zip_json(data, "invitations_received.json")] == ["Choir"]
    assert [e["title"] for e in zip_json(data, "events_created.json")] == ["Autumn walk"]
    assert sorted(r["event"] for r in zip_json(data, "rsvps.json")) == [
        "Autumn walk",
        "Summer walk",
    ]
    assert [a["event"] for a in zip_json(data, "attendance.json")] == ["Summer walk"]
    assert [(a["question"], a["answer"]) for a in zip_json(data, "answers_to_questions.json")] == [
        ("Any allergies?", "Hazelnuts")
    ]
    assert [a["subject"] for a in zip_json(data, "announcements_read.json")] == ["Boots on Sunday"]
    assert zip_json(data, "notification_settings.json")["digest"]["frequency"] == "daily"
    assert [(v["poll"], v["option"]) for v in zip_json(data, "votes.json")] == [
        ("Where next?", "Park")
    ]
    assert [t["title"] for t in zip_json(data, "tasks_assigned.json")] == ["Bring the map"]
    assert [t["title"] for t in zip_json(data, "tasks_created.json")] == ["Bring the map"]
    assert [f["comment"] for f in zip_json(data, "feedback.json")] == [
        "Lovely views from the ridge"
    ]
    assert [(c["thread"], c["body"]) for c in zip_json(data, "comments.json")] == [
        ("Autumn walk", "Bring a coat")
    ]
    files = zip_json(data, "files_uploaded.json")
    assert [f["name"] for f in files] == ["route-ann.pdf"]
    assert members[files[0]["in_this_zip"]].startswith(b"%PDF")
    sessions = zip_json(data, "sessions.json")
    assert sessions and all("token_hash" not in s for s in sessions)
    settings = zip_json(data, "notification_settings.json")
    assert settings["kinds"]["reminders"]["on"] is True
    assert settings["comments_followed"] == [{"thread": "Autumn walk", "by_email": True}]
    # Nothing of Zelda's: not her address, not her names, not what she wrote.
    everything = b"".join(members.values()).decode("utf-8", "replace")
    for trace in (
        OTHER_EMAIL,
        *OTHER_NAME,
        "Too hot for me",
        "Will it rain?",
        "route-zelda",
        "Pub",
        "flask",
    ):
        assert trace not in everything, trace
    with app.app_context():
        hashes = db.session.scalars(sa.text("SELECT token_hash FROM user_sessions")).all()
    assert hashes and not any(token_hash in everything for token_hash in hashes)
    # The email says it is ready, why, and links to the page.
    message = mailbox.last(pair.email)
    text = mailbox.text(message)
    assert "ready" in message["Subject"]
    assert "http://localhost/settings/data" in text
    assert "because you asked for a download of your data" in text


def test_the_job_is_idempotent_one_zip_one_email(app, mailbox):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    assert ask(client).status_code == 303
    with app.app_context():
        export_id = db.session.scalar(sa.select(DataExport.id))
    run_worker(app)
    with app.app_context():
        (first,) = exports()
    assert first.state == ExportState.READY
    # The job again (a retry, a second copy): nothing changes, no second email.
    zips = set(Path(app.config["UPLOAD_DIR"]).rglob("*.zip"))
    with app.app_context():
        assert build_export(export_id) is None
        assert exports() == [first]
    assert len(mailbox.messages(email)) == 1
    assert set(Path(app.config["UPLOAD_DIR"]).rglob("*.zip")) == zips


def test_one_export_at_a_time_and_a_new_one_replaces_the_old(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    assert ask(client).status_code == 303
    second = ask(client, htmx=True)
    assert second.status_code == 200
    assert "already being put together" in html(second)
    with app.app_context():
        assert len(exports()) == 1
    run_worker(app)
    with app.app_context():
        (old,) = exports()
    assert ask(client).status_code == 303
    run_worker(app)
    with app.app_context():
        (new,) = exports()
    assert new.id != old.id and new.state == ExportState.READY
    assert not (Path(app.config["UPLOAD_DIR"]) / old.storage_key).exists()
    assert (Path(app.config["UPLOAD_DIR"]) / new.storage_key).exists()


def test_a_request_whose_job_was_lost_is_given_up_after_an_hour(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    assert ask(client).status_code == 303
    with app.app_context():
        export = db.session.scalar(sa.select(DataExport))
        export.created_at = utcnow() - timedelta(minutes=59)
        db.session.commit()
    assert "already being put together" in html(ask(client, htmx=True))
    with app.app_context():
        export = db.session.scalar(sa.select(DataExport))
        export.created_at = utcnow() - timedelta(minutes=61)
        stale_id = export.id
        db.session.commit()
    assert ask(client).status_code == 303
    with app.app_context():
        ((fresh_id, state, _),) = exports()
    assert fresh_id != stale_id and state == ExportState.PENDING


def test_the_live_part_answers_204_then_the_fragment_then_286(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    asked = ask(client, htmx=True)
    assert asked.status_code == 200
    assert "waiting to start" in html(asked)
    url = live_link(asked)
    assert url, "a pending export's part does not poll"
    with statements_run(app) as statements:
        unchanged = client.get(url, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204 and unchanged.get_data() == b""
    assert statements == []
    run_worker(app)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 286
    assert "Your download is ready." in html(done)
    assert download_link(done)
    assert "hx-get" not in html(done).split("</div>")[0]
    # Without htmx the live address leads to the page.
    plain = client.get(url)
    assert plain.status_code == 303 and plain.location.endswith("/settings/data")


def test_an_id_handed_out_again_starts_its_live_part_afresh(app):
    """A database emptied or restored hands out an export id again; what Redis still holds
    for it (an old export's topic, over) must not keep the new part from polling 204."""
    with app.app_context():
        email = make_user().email
        next_id = db.session.scalar(sa.text("SELECT nextval('data_exports_id_seq')"))
        db.session.execute(sa.text(f"SELECT setval('data_exports_id_seq', {next_id}, false)"))
        db.session.commit()
        get_redis().hset(export_topic(next_id), mapping={"v": 5, "until": 1.0})
    client = logged_in(app, email)
    url = live_link(ask(client, htmx=True))
    assert f"/export/{next_id}/" in url
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 204


def test_the_live_part_brings_the_building_state_with_200(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    url = live_link(ask(client, htmx=True))
    with app.app_context():
        export = db.session.scalar(sa.select(DataExport))
        export.state = ExportState.BUILDING
        export_changed(export)
        db.session.commit()
    building = client.get(url, headers={"HX-Request": "true"})
    assert building.status_code == 200
    assert "being built" in html(building)
    assert live_link(building)


def test_a_failed_build_shows_failed_and_stops_polling(app, monkeypatch):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    url = live_link(ask(client, htmx=True))
    with app.app_context():
        export_id = db.session.scalar(sa.select(DataExport.id))
    import webapp.your_data.export as export_module

    def broken(user):
        raise OSError("disk full")

    monkeypatch.setattr(export_module, "build_zip", broken)
    with app.app_context():
        build_export(export_id)
    with app.app_context():
        assert exports()[0].state == ExportState.FAILED
    failed = client.get(url, headers={"HX-Request": "true"})
    assert failed.status_code == 286
    assert "could not build" in html(failed)
    assert "Make a new download" in html(failed)


def test_the_download_and_live_part_are_the_owners_alone(app):
    with app.app_context():
        owner, other = make_user().email, make_user().email
    client = logged_in(app, owner)
    _, link = ready_download(app, client)
    url = live_link(ask(client, True))
    stranger = logged_in(app, other)
    assert stranger.get(link).status_code == 404
    # The version it shows answers 204 to anyone (one Redis read, nothing told); any
    # other version would render the part, which is the owner's alone.
    stale = url.split("?")[0] + "?v=1"
    assert stranger.get(stale, headers={"HX-Request": "true"}).status_code == 404
    assert app.test_client().get(stale, headers={"HX-Request": "true"}).status_code == 404
    assert client.get(stale, headers={"HX-Request": "true"}).status_code == 200
    visitor = app.test_client().get(link)
    assert visitor.status_code == 303 and visitor.location.startswith("/login")


def test_the_download_expires_after_seven_days(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    _, link = ready_download(app, client)
    with app.app_context():
        export = db.session.scalar(sa.select(DataExport))
        assert export.expires_at - export.ready_at == timedelta(days=7)
        export.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(link).status_code == 404
    page = client.get("/settings/data")
    assert "has expired" in html(page)
    assert download_link(page) is None
    # The sweep deletes the expired zip; a second sweep finds nothing to do.
    with app.app_context():
        key = db.session.scalar(sa.select(DataExport.storage_key))
    zip_path = Path(app.config["UPLOAD_DIR"]) / key
    assert zip_path.exists()
    with app.app_context():
        sweep_expired_exports()
        assert db.session.scalar(sa.select(DataExport.storage_key)) is None
    assert not zip_path.exists()
    with app.app_context():
        sweep_expired_exports()
    assert "has expired" in html(client.get("/settings/data"))


def test_a_zip_not_yet_expired_is_kept_by_the_sweep(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    _, link = ready_download(app, client)
    with app.app_context():
        sweep_expired_exports()
    with client.get(link) as response:
        assert response.status_code == 200


def test_page_and_fragment_and_no_javascript(app):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    page = client.get("/settings/data")
    assert page.status_code == 200
    assert "<h1>Your data</h1>" in html(page)
    assert "You have not asked for a download yet." in html(page)
    fragment = client.get("/settings/data", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert html(fragment).lstrip().startswith('<div id="data-export"')
    assert "<h1>" not in html(fragment)
    # Without JavaScript: a plain post, a redirect, and the page current on reload.
    asked = ask(client)
    assert asked.status_code == 303
    assert asked.location.endswith("/settings/data#export")
    assert "waiting to start" in html(client.get("/settings/data"))
    run_worker(app)
    assert "Your download is ready." in html(client.get("/settings/data"))
    # The settings page links here.
    assert 'href="/settings/data"' in html(client.get("/settings"))


def test_asking_is_rate_limited_per_user(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_DATA_EXPORT", "2 per hour")
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    assert ask(client).status_code == 303
    assert ask(client).status_code == 303
    assert ask(client).status_code == 429


def test_the_ready_email_can_be_turned_off(app, mailbox):
    with app.app_context():
        user = make_user()
        save_mail_choices(user, set(EventMailKind) - {EventMailKind.DATA_EXPORT})
        db.session.commit()
        email = user.email
    client = logged_in(app, email)
    ready_download(app, client)
    assert mailbox.messages(email) == []
    assert "When a download of my data I asked for is ready" in html(client.get("/settings"))


def test_building_the_zip_takes_the_same_statements_for_more_rows(app):
    def statements_for(pair_email):
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == pair_email))
            with statements_run(app) as statements:
                build_zip(user)
            return len(statements)

    with app.app_context():
        small = people_with_everything()
    few = statements_for(small.email)
    with app.app_context():
        ann = db.session.scalar(sa.select(User).where(User.email == small.email))
        for number in range(3):
            group = make_group(ann, name=f"More {number}")
            add_member(group, make_user())
            event = make_event(group, created_by_id=ann.id)
            answer(ann, event)
            make_file(event, ann, name=f"more-{number}.pdf")
            make_invitation(group, f"more{number}@example.com", inviter=ann)
    assert statements_for(small.email) == few


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/settings/data/export/999999/download", 404),
        ("/settings/data/export/99999999999/download", 404),
        ("/settings/data/export/0/download", 404),
        ("/settings/data/export/abc/download", 404),
        # A NUL byte anywhere in a request is refused before any view (webapp/web/hooks.py).
        ("/settings/data/export/%00/download", 400),
    ],
)
def test_wrong_ids_are_refused_never_a_500(app, path, status):
    with app.app_context():
        email = make_user().email
    client = logged_in(app, email)
    assert client.get(path).status_code == status
    live = path.replace("download", "live?v=1")
    assert client.get(live, headers={"HX-Request": "true"}).status_code == status
