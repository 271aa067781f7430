"""Files in Chromium: a member opens the event's files from its page, uploads a photo and a
PDF (with htmx: the list swaps in place), sees the photo's thumbnail once the job has run,
downloads the PDF under its name, and deletes it through the confirmation dialog. A refused
file shows its message beside the field. Uploading works with JavaScript off. Every page
visited passes axe-core at 320 and 1280 px."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_both_widths, check_page, shoot
from tests.browser.test_rsvp_flow import log_in
from tests.conftest import run_worker
from tests.files.support import SCRIPT, files_world, jpeg_with_gps, pdf_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def lantern_night(app):
    """Mira is a member of Olu's Canal Walkers; the addresses of their event's page and of
    its files."""
    with app.app_context():
        _, _, _, _, event = files_world()
        return {"page": f"/events/{event.id}-{event.slug}", "files": f"/events/{event.id}/files"}


def choose(page, name, data, mime):
    page.get_by_label("Add a file").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def file_row(page, name):
    return page.locator("li.file-row", has_text=name)


def test_a_member_shares_a_photo_and_a_pdf(app, page, lantern_night, console_errors):
    log_in(page, "mira@example.org")
    page.goto(lantern_night["page"])
    page.get_by_role("link", name="Files").click()
    expect(page.get_by_role("heading", name="Files", exact=True)).to_be_visible()
    expect(page.get_by_text("No files yet.")).to_be_visible()
    check_both_widths(page, "files-empty")

    # A script dressed as a photo: refused beside the field, nothing listed.
    choose(page, "holiday.png", SCRIPT, "image/png")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#file-error")).to_contain_text("This kind of file is not accepted")
    expect(page.get_by_label("Add a file")).to_have_attribute("aria-invalid", "true")
    check_both_widths(page, "files-refused")

    choose(page, "lanterns.jpg", jpeg_with_gps(size=(900, 600)), "image/jpeg")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“lanterns.jpg” is uploaded.")).to_be_visible()
    expect(file_row(page, "lanterns.jpg")).to_contain_text("preview on its way")
    choose(page, "minutes.pdf", pdf_bytes(), "application/pdf")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“minutes.pdf” is uploaded.")).to_be_visible()
    expect(page.get_by_role("heading", name="2 files")).to_be_visible()
    expect(file_row(page, "minutes.pdf")).to_contain_text("Mira Sato")

    # The worker makes the thumbnail; the next visit shows it.
    run_worker(app)
    page.reload()
    thumbnail = file_row(page, "lanterns.jpg").locator("img.file-thumb")
    expect(thumbnail).to_be_visible()
    # Visible is not loaded (the image is lazy): its width is known once it has come.
    image = thumbnail.element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)
    assert page.evaluate("img => img.naturalWidth", image) == 320
    check_both_widths(page, "files-two-files")

    with page.expect_download() as downloading:
        file_row(page, "minutes.pdf").get_by_role("link", name="minutes.pdf").click()
    download = downloading.value
    assert download.suggested_filename == "minutes.pdf"
    assert Path(download.path()).read_bytes() == pdf_bytes()

    file_row(page, "minutes.pdf").get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Delete “minutes.pdf”?")).to_be_visible()
    check_page(page)
    shoot(page, "files-delete-dialog")
    dialog.get_by_role("button", name="Delete the file").click()
    expect(page.get_by_text("“minutes.pdf” is deleted.")).to_be_visible()
    expect(page.get_by_role("heading", name="1 file", exact=True)).to_be_visible()
    expect(file_row(page, "minutes.pdf")).to_have_count(0)
    assert not console_errors


def test_uploading_works_with_javascript_off(app, browser, live_server, lantern_night):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "mira@example.org")
    page.goto(lantern_night["files"])
    choose(page, "minutes.pdf", pdf_bytes(), "application/pdf")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“minutes.pdf” is uploaded.")).to_be_visible()
    expect(file_row(page, "minutes.pdf")).to_contain_text("Mira Sato")
    assert page.url.endswith("/files")
    # Deleting asks on a page of its own, then posts.
    file_row(page, "minutes.pdf").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete “minutes.pdf”?")).to_be_visible()
    page.get_by_role("button", name="Delete the file").click()
    expect(page.get_by_text("“minutes.pdf” is deleted.")).to_be_visible()
    shoot(page, "files-no-js")
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_file_too_large_gets_a_clear_answer(
    app, browser, live_server, lantern_night, monkeypatch, javascript
):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    context = browser.new_context(base_url=live_server, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, "mira@example.org")
    page.goto(lantern_night["files"])
    choose(page, "huge.pdf", pdf_bytes() + b"0" * (3 * 1024 * 1024), "application/pdf")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Too large")).to_be_visible()
    expect(page.get_by_text("larger than this site accepts here: at most 1 MB")).to_be_visible()
    if javascript:
        # The answer lands above the form, which stays as it was.
        expect(page.get_by_label("Add a file")).to_be_visible()
        check_page(page)
    shoot(page, f"files-too-large-{'htmx' if javascript else 'no-js'}")
    context.close()
