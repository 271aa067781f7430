"""Uploading files to an event through HTTP: what is accepted (decided from the content,
the name agreeing), what is refused with a message beside the field (422) or as too large
(413), and that a refused upload leaves neither a row nor a stored object behind."""

from pathlib import Path

import pytest

from tests.files.support import (
    HTML,
    SCRIPT,
    SVG,
    animated_gif,
    bomb_png,
    docx_bomb,
    docx_bytes,
    empty_upload_dir,
    files_world,
    image_with_gps,
    jpeg_with_gps,
    multipart,
    objects_on_disk,
    pdf_bytes,
    png_bytes,
    stored_files,
    upload,
    zip_bytes,
)
from webapp.files.content import clean_name
from webapp.files.models import FileKind


@pytest.fixture
def event_id(app, auth):
    """Mira, a member of the group, logged in; the event's id."""
    with app.app_context():
        _, mira, _, _, event = files_world()
        event_id, email = event.id, mira.email
    auth.login(email)
    return event_id


@pytest.fixture(autouse=True)
def _no_objects_before(app):
    empty_upload_dir(app)


def the_files(app):
    with app.app_context():
        return [(f.name, f.kind, f.content_type, f.size) for f in stored_files()]


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("minutes.pdf", pdf_bytes(), FileKind.DOCUMENT, "application/pdf"),
        (
            "plan.docx",
            docx_bytes(),
            FileKind.DOCUMENT,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("route.png", png_bytes(), FileKind.IMAGE, "image/png"),
        ("lanterns.JPG", jpeg_with_gps(), FileKind.IMAGE, "image/jpeg"),
        ("lanterns.webp", image_with_gps("WEBP"), FileKind.IMAGE, "image/webp"),
        ("dance.gif", animated_gif(), FileKind.IMAGE, "image/gif"),
        (
            "who-brings-what.csv",
            b"name,brings\nMira,bread\n",
            FileKind.TEXT,
            "text/plain; charset=utf-8",
        ),
        (
            "notes.md",
            "# Notes\n\nCafé at eight".encode(),
            FileKind.TEXT,
            "text/plain; charset=utf-8",
        ),
    ],
)
def test_a_member_uploads_documents_and_images(
    app, client, event_id, name, data, kind, content_type
):
    response = upload(client, event_id, name, data)
    assert response.status_code == 303
    assert response.location == f"/events/{event_id}/files"
    [(stored_name, stored_kind, stored_type, size)] = the_files(app)
    assert (stored_name, stored_kind, stored_type) == (name, kind, content_type)
    assert size > 0
    page = client.get(response.location).get_data(as_text=True)
    assert f"“{name}” is uploaded." in page
    assert name in page
    assert len(objects_on_disk(app)) == 1


def test_an_htmx_upload_answers_the_panel_with_the_new_file(app, client, event_id):
    response = upload(client, event_id, "minutes.pdf", pdf_bytes(), htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<section id="event-files-{event_id}"')
    assert "minutes.pdf" in html and "1 file" in html
    assert "“minutes.pdf” is uploaded." in html  # the flash, out of band
    assert "<html" not in html


def test_the_files_page_and_its_fragment(app, client, event_id):
    upload(client, event_id, "minutes.pdf", pdf_bytes())
    page = client.get(f"/events/{event_id}/files")
    fragment = client.fragment(f"/events/{event_id}/files")
    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.get_data(as_text=True)
    assert (
        fragment.get_data(as_text=True).lstrip().startswith(f'<section id="event-files-{event_id}"')
    )
    for response in (page, fragment):
        html = response.get_data(as_text=True)
        assert 'enctype="multipart/form-data"' in html
        assert "Mira Sato" in html and "minutes.pdf" in html
    assert "HX-Request" in page.headers["Vary"]


def test_the_event_page_links_to_its_files(app, client, event_id):
    event_page = client.get(f"/events/{event_id}", follow_redirects=True)
    assert f'href="/events/{event_id}/files"' in event_page.get_data(as_text=True)


def refused(response, message):
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="field-error"' in html and message in html
    return html


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("holiday.png", SCRIPT, "This kind of file is not accepted"),
        ("invite.html", HTML, "This kind of file is not accepted"),
        ("logo.svg", SVG, "This kind of file is not accepted"),
        ("logo.png", SVG, "This kind of file is not accepted"),
        ("archive.zip", zip_bytes(), "This kind of file (zip) is not accepted"),
        ("plan.docx", zip_bytes(), "This kind of file (zip) is not accepted"),
        ("photo.png", pdf_bytes(), "ends in “.png”, but its content is PDF"),
        ("minutes.pdf", png_bytes(), "its content is PNG"),
        ("notes.txt", b"plain\x00text", "This kind of file is not accepted"),
        ("notes.txt", b"\xff\xfe latin-1 \xe9", "This kind of file is not accepted"),
        ("empty.pdf", b"", "The file is empty."),
        ("broken.png", png_bytes()[:60], "could not be read"),
        ("photo", png_bytes(), "The file&#39;s name has no ending, but its content is PNG"),
    ],
)
def test_what_is_not_on_the_list_is_refused_beside_the_field(
    app, client, event_id, name, data, message, htmx
):
    html = refused(upload(client, event_id, name, data, htmx=htmx), message)
    assert ("<html" in html) is not htmx
    assert the_files(app) == []
    assert objects_on_disk(app) == []


def test_no_file_chosen_is_refused(app, client, event_id):
    response = client.submit(f"/events/{event_id}/files", {}, content_type="multipart/form-data")
    refused(response, "Choose a file to upload.")


def test_html_named_as_text_is_kept_but_only_ever_downloaded(app, client, event_id):
    upload(client, event_id, "page.txt", HTML)
    with app.app_context():
        [stored] = stored_files()
        file_id = stored.id
    with client.get(f"/events/{event_id}/files/{file_id}") as response:
        response.get_data()
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_an_image_bomb_is_refused_not_a_500(app, client, event_id, htmx):
    response = upload(client, event_id, "bomb.png", bomb_png(), htmx=htmx)
    refused(response, "The image is too large")
    assert the_files(app) == []
    assert objects_on_disk(app) == []


def test_a_zip_bomb_named_docx_is_refused_without_being_unpacked(app, client, event_id):
    bomb = docx_bomb(unpacked_mb=300)
    assert len(bomb) < 1024 * 1024, "the bomb must fit the upload limit to reach the check"
    response = upload(client, event_id, "report.docx", bomb)
    refused(response, "unpacks to far more than it weighs")
    assert the_files(app) == []
    assert objects_on_disk(app) == []


def test_a_damaged_document_is_refused(app, client, event_id):
    damaged = docx_bytes()[:-40]
    response = upload(client, event_id, "report.docx", damaged)
    refused(response, "damaged")
    assert the_files(app) == []


def test_a_path_in_the_name_is_only_a_name(app, client, event_id):
    response = upload(client, event_id, "../../etc/passwd.png", png_bytes())
    assert response.status_code == 303
    [(name, *_)] = the_files(app)
    assert name == "passwd.png"
    [path] = objects_on_disk(app)
    root = Path(app.config["UPLOAD_DIR"]).resolve()
    assert path.resolve().is_relative_to(root)
    assert "passwd" not in str(path)
    with app.app_context():
        [stored] = stored_files()
        assert stored.storage_key.count("/") == 2 and "." not in stored.storage_key.split("/")[2]


def test_markup_in_the_name_is_shown_as_text(app, client, event_id):
    upload(client, event_id, "<img src=x onerror=alert(1)>.png", png_bytes())
    [(name, *_)] = the_files(app)
    assert name == "<img src=x onerror=alert(1)>.png"
    html = client.get(f"/events/{event_id}/files").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in html


def test_a_nul_byte_in_the_name_is_refused_and_nothing_is_stored(app, client, event_id):
    response = upload(client, event_id, "photo\x00.php.png", png_bytes())
    assert response.status_code == 400
    assert the_files(app) == []
    assert objects_on_disk(app) == []


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_a_file_over_the_upload_limit_is_refused_with_413(app, client, event_id, monkeypatch, htmx):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    data = pdf_bytes() + b"0" * (1024 * 1024)
    response = upload(client, event_id, "huge.pdf", data, htmx=htmx)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Too large" in html
    assert "at most 1 MB" in html
    if htmx:
        assert "<html" not in html
        assert response.headers["HX-Retarget"] == "#htmx-error"
    else:
        assert "<html" in html
    assert the_files(app) == []
    assert objects_on_disk(app) == []


def test_the_upload_limit_is_the_upload_views_alone(app, client, event_id):
    """A file of 2 MB is fine for the upload view; 2 MB anywhere else is refused."""
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    data = pdf_bytes() + b"0" * (2 * 1024 * 1024)
    assert upload(client, event_id, "big.pdf", data).status_code == 303
    content_type, body = multipart({"first_name": "x" * (2 * 1024 * 1024)})
    elsewhere = client.submit("/account", body, content_type=content_type)
    assert elsewhere.status_code == 413
    assert "at most 1 MB" in elsewhere.get_data(as_text=True)
    # A file sent to another address is refused there too.
    other = upload(client, event_id, "big.pdf", data, url=f"/events/{event_id}/polls/new")
    assert other.status_code == 413


def test_uploads_are_rate_limited_per_user(app, client, event_id, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_UPLOAD", "2 per hour")
    assert upload(client, event_id, "a.pdf", pdf_bytes()).status_code == 303
    assert upload(client, event_id, "b.pdf", pdf_bytes()).status_code == 303
    response = upload(client, event_id, "c.pdf", pdf_bytes())
    assert response.status_code == 429
    assert [name for name, *_ in the_files(app)] == ["a.pdf", "b.pdf"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("C:\\Users\\me\\photo.png", "photo.png"),
        ("../../etc/passwd.png", "passwd.png"),
        ("..", "file"),
        (".htaccess", "htaccess"),
        ("line\nbreak\u202eevil.png", "linebreakevil.png"),
        ("", "file"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ("Cafe\u0301 menu.pdf", "Café menu.pdf"),
    ],
)
def test_names_are_cleaned_for_display(raw, shown):
    assert clean_name(raw) == shown
