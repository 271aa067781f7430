"""Downloading, thumbnails and deleting: the headers that keep a file from acting as a page
of the site, the metadata gone from what is served, the thumbnail job (run by a real RQ
worker in this process, twice), and deletion taking the stored objects with the row."""

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import ExifTags, Image

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.conftest import run_worker
from tests.events.factories import make_event
from tests.files.support import (
    animated_gif,
    empty_upload_dir,
    files_world,
    image_with_gps,
    make_file,
    objects_on_disk,
    pdf_bytes,
    png_bytes,
    stored_files,
    upload,
)
from tests.groups.factories import add_member
from tests.support.other_apps import app_like
from webapp.accounts.models import User
from webapp.database.unit_of_work import RuleError
from webapp.events.models import Event
from webapp.extensions import db
from webapp.files.models import StoredFile
from webapp.files.services import delete_file, upload_file
from webapp.files.thumbnails import make_thumbnail
from webapp.jobs import get_queue
from webapp.storage import StorageError, get_storage


@pytest.fixture(autouse=True)
def _no_objects_before(app):
    empty_upload_dir(app)


@pytest.fixture
def world(app, auth):
    """Mira (a member) logged in; {"event": id, "olu": email, "mira": email, "sam": email}."""
    with app.app_context():
        olu, mira, sam, _, event = files_world()
        ids = {"event": event.id, "olu": olu.email, "mira": mira.email, "sam": sam.email}
    auth.login(ids["mira"])
    return ids


def body_of(client, url, **kwargs):
    with client.get(url, **kwargs) as response:
        return response, response.get_data()


def only_file(app):
    with app.app_context():
        [stored] = stored_files()
        db.session.expunge(stored)
        return stored


def thumbnail_job(app, file_id):
    """The job as a worker runs it (its own app context, inside the test's app)."""
    with app.app_context():
        return make_thumbnail(file_id)


def object_exists(app, key):
    with app.app_context():
        try:
            get_storage().open(key).close()
        except StorageError:
            return False
        return True


def test_a_pdf_downloads_as_an_attachment_of_octet_stream(app, client, world):
    upload(client, world["event"], "minutes.pdf", pdf_bytes())
    stored = only_file(app)
    response, body = body_of(client, f"/events/{world['event']}/files/{stored.id}")
    assert response.status_code == 200
    assert body == pdf_bytes()
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"] == "attachment; filename=minutes.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert stored.sha256 and len(stored.sha256) == 64


def test_a_name_beyond_ascii_is_sent_as_rfc_5987(app, client, world):
    upload(client, world["event"], "Café «plan» 日本.pdf", pdf_bytes())
    stored = only_file(app)
    response, _ = body_of(client, f"/events/{world['event']}/files/{stored.id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote('Café «plan» 日本.pdf')}" in disposition


@pytest.mark.parametrize(
    ("name", "fmt", "content_type"),
    [
        ("lanterns.jpg", "JPEG", "image/jpeg"),
        ("lanterns.png", "PNG", "image/png"),
        ("lanterns.webp", "WEBP", "image/webp"),
    ],
)
def test_an_image_downloads_with_its_type_and_without_its_gps_position(
    app, client, world, name, fmt, content_type
):
    original = image_with_gps(fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test's own check
    assert b"Hearth Test Camera" in original
    upload(client, world["event"], name, original)
    stored = only_file(app)
    response, body = body_of(client, f"/events/{world['event']}/files/{stored.id}")
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"].startswith("attachment;")
    served = Image.open(io.BytesIO(body))
    assert served.size == (64, 48)
    exif = served.getexif()
    assert not exif.get_ifd(0x8825)
    assert b"Hearth Test Camera" not in body
    # What is on disk is what is served: the original with its position was never kept.
    with app.app_context():
        on_disk = Path(get_storage().path(stored.storage_key)).read_bytes()
    assert on_disk == body


@pytest.mark.parametrize(
    ("name", "fmt"), [("sideways.jpg", "JPEG"), ("sideways.png", "PNG"), ("sideways.webp", "WEBP")]
)
def test_a_photo_taken_sideways_is_stored_upright(app, client, world, name, fmt):
    upload(client, world["event"], name, image_with_gps(fmt, orientation=6))
    stored = only_file(app)
    _, body = body_of(client, f"/events/{world['event']}/files/{stored.id}")
    served = Image.open(io.BytesIO(body))
    assert served.size == (48, 64)
    assert ExifTags.Base.Orientation not in served.getexif()


def test_an_animated_gif_keeps_its_frames(app, client, world):
    upload(client, world["event"], "dance.gif", animated_gif(frames=3))
    stored = only_file(app)
    _, body = body_of(client, f"/events/{world['event']}/files/{stored.id}")
    assert Image.open(io.BytesIO(body)).n_frames == 3
    assert b"made here" not in body


def test_the_thumbnail_job_makes_a_small_webp_once(app, client, world):
    upload(client, world["event"], "route.png", png_bytes(size=(1200, 800)))
    stored = only_file(app)
    assert stored.thumbnail_key is None
    thumbnail_url = f"/events/{world['event']}/files/{stored.id}/thumbnail"
    assert client.get(thumbnail_url).status_code == 404
    assert "preview on its way" in client.get(f"/events/{world['event']}/files").get_data(
        as_text=True
    )
    with app.app_context():
        assert get_queue().count == 1
    run_worker(app)

    key = only_file(app).thumbnail_key
    assert key and key.endswith(".webp")
    response, body = body_of(client, thumbnail_url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert Image.open(io.BytesIO(body)).size == (320, 213)
    page = client.get(f"/events/{world['event']}/files").get_data(as_text=True)
    assert f'src="{thumbnail_url}"' in page

    # Run again (a retry, a second queueing): the same thumbnail, no second object.
    assert thumbnail_job(app, stored.id) == key
    assert sorted(path.name for path in objects_on_disk(app)) == sorted(
        [stored.storage_key.rsplit("/", 1)[1], key.rsplit("/", 1)[1]]
    )
    assert only_file(app).thumbnail_key == key


def test_the_thumbnail_job_of_a_file_gone_or_not_an_image_does_nothing(app, client, world):
    upload(client, world["event"], "minutes.pdf", pdf_bytes())
    stored = only_file(app)
    with app.app_context():
        assert get_queue().count == 0  # documents get no job
    assert thumbnail_job(app, stored.id) is None
    assert thumbnail_job(app, stored.id + 1000) is None


def test_an_image_too_large_for_a_lowered_limit_gets_no_thumbnail_and_no_failure(
    app, client, world, monkeypatch
):
    upload(client, world["event"], "route.png", png_bytes(size=(400, 300)))
    stored = only_file(app)
    monkeypatch.setitem(app.config, "MAX_IMAGE_PIXELS", 1000)
    run_worker(app)
    assert only_file(app).thumbnail_key is None
    with app.app_context():
        assert get_queue().failed_job_registry.count == 0
    assert thumbnail_job(app, stored.id) is None


def test_the_uploader_deletes_their_file_and_its_objects(app, client, world):
    upload(client, world["event"], "route.png", png_bytes())
    run_worker(app)
    stored = only_file(app)
    delete_url = f"/events/{world['event']}/files/{stored.id}/delete"
    page = client.get(delete_url)
    assert page.status_code == 200
    assert "Delete “route.png”?" in page.get_data(as_text=True)
    dialog = client.fragment(delete_url).get_data(as_text=True)
    assert dialog.lstrip().startswith('<article id="delete-file-confirm"')

    response = client.submit(delete_url, {})
    assert response.status_code == 303
    assert response.location == f"/events/{world['event']}/files"
    assert "“route.png” is deleted." in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert stored_files() == []
    assert not object_exists(app, stored.storage_key)
    assert not object_exists(app, stored.thumbnail_key)
    assert client.get(f"/events/{world['event']}/files/{stored.id}").status_code == 404


def test_an_htmx_delete_leads_back_to_the_files(app, client, world):
    upload(client, world["event"], "minutes.pdf", pdf_bytes())
    stored = only_file(app)
    response = client.submit(f"/events/{world['event']}/files/{stored.id}/delete", {}, htmx=True)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/events/{world['event']}/files"


def test_an_organiser_deletes_a_members_file_and_another_member_may_not(app, client, auth, world):
    upload(client, world["event"], "minutes.pdf", pdf_bytes())
    stored = only_file(app)
    url = f"/events/{world['event']}/files/{stored.id}/delete"
    with app.app_context():
        kai = make_user(email="kai@example.org")
        add_member(db.session.get(Event, world["event"]).group, kai)
    auth.logout()
    auth.login("kai@example.org")
    assert client.submit(url, {}).status_code == 403
    assert "Delete" not in client.get(f"/events/{world['event']}/files").get_data(as_text=True)
    auth.logout()
    auth.login(world["olu"])
    assert client.submit(url, {}).status_code == 303
    assert not object_exists(app, stored.storage_key)


def user_by_email(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def test_a_failed_request_leaves_no_object_behind(app, world):
    """An upload's object is saved before its row; a rollback deletes it again."""
    with app.app_context():
        event = db.session.get(Event, world["event"])
        stored = upload_file(user_by_email(world["mira"]), event, "minutes.pdf", pdf_bytes())
        key = stored.storage_key
        assert object_exists(app, key)
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(StoredFile)) == 0
    assert not object_exists(app, key)


def test_a_deletion_that_rolls_back_keeps_the_object(app, world):
    with app.app_context():
        event = db.session.get(Event, world["event"])
        mira = user_by_email(world["mira"])
        stored = make_file(event, mira)
        key = stored.storage_key
        delete_file(mira, stored)
        db.session.rollback()
    assert object_exists(app, key)


def test_a_missing_object_is_a_404_not_a_500(app, client, world):
    upload(client, world["event"], "minutes.pdf", pdf_bytes())
    stored = only_file(app)
    with app.app_context():
        get_storage().delete(stored.storage_key)
    assert client.get(f"/events/{world['event']}/files/{stored.id}").status_code == 404


def test_a_file_is_found_only_under_its_own_event(app, client, world):
    upload(client, world["event"], "minutes.pdf", pdf_bytes())
    stored = only_file(app)
    with app.app_context():
        other = make_event(db.session.get(Event, world["event"]).group, title="Other night")
        other_id = other.id
    assert client.get(f"/events/{other_id}/files/{stored.id}").status_code == 404
    assert client.get(f"/events/{other_id}/files/{stored.id}/thumbnail").status_code == 404


def test_without_a_worker_the_thumbnail_is_made_as_the_upload_commits(app, world):
    """The embedded default (no Redis): jobs run in the web process after the commit."""
    with app_like(app, JOBS_ASYNC=False) as embedded:
        client = embedded.test_client()
        login = {"email": world["mira"], "password": DEFAULT_PASSWORD}
        assert client.submit("/login", login).status_code == 303
        upload(client, world["event"], "route.png", png_bytes(size=(640, 480)))
        stored = only_file(embedded)
        assert stored.thumbnail_key
        response, body = body_of(client, f"/events/{world['event']}/files/{stored.id}/thumbnail")
        assert response.status_code == 200
        assert Image.open(io.BytesIO(body)).size == (320, 240)


def test_a_file_deleted_twice_is_deleted_once(app, world):
    """Two deletions at once: the second finds no row (its request would be refused)."""
    with app.app_context():
        event = db.session.get(Event, world["event"])
        mira = user_by_email(world["mira"])
        stored = make_file(event, mira)
        file_id, key = stored.id, stored.storage_key
        first = db.session.get(StoredFile, file_id)
    with app.app_context():
        second = db.session.get(StoredFile, file_id)
        delete_file(mira, second)
        db.session.commit()
    with app.app_context():
        db.session.add(first)
        with pytest.raises(RuleError, match="already deleted"):
            delete_file(mira, first)
        db.session.rollback()
    assert not object_exists(app, key)
