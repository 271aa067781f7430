"""An event's files: the list with the upload form, uploading, downloading, thumbnails and
deleting. Each view loads the event (404 unless the user may see it) and then the file.

Only the upload view takes large bodies (takes_uploads: MAX_UPLOAD_MB); downloads go
through the storage's send as attachments, images with their own type and everything
else as application/octet-stream, so no upload can run as a page of this site.
"""

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from webapp.database.unit_of_work import RuleError, refuse
from webapp.extensions import login_manager
from webapp.files import bp
from webapp.files.access import can_delete_file, can_upload, find_event_for_files, find_file
from webapp.files.forms import UploadForm
from webapp.files.queries import files_of_event
from webapp.files.services import delete_file, upload_file
from webapp.files.sizes import file_size
from webapp.storage import StorageError, get_storage
from webapp.web.forms import EmptyForm
from webapp.web.hooks import takes_uploads
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _

# Sizes in the page's language, on the files' pages and on others (your data's download).
bp.add_app_template_filter(file_size, "filesize")

# A downloaded file is never a page: no scripts, no plugins, no frames, even if opened.
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def files_url(event):
    return url_for("files.listing", event_id=event.id)


def files_panel(event, form, status=200):
    """The list with the upload form: the page, or the panel alone for htmx."""
    return render(
        "files/index.html",
        "files/_files.html",
        status=status,
        event=event,
        group=event.group,
        files=files_of_event(event),
        form=form,
        may_delete=lambda stored: can_delete_file(current_user, stored),
    )


# One rule for both methods: two rules on one path would answer a bad id with 405, not 404.
@bp.route("/events/<int:event_id>/files", methods=["GET", "POST"])
@takes_uploads
@rate_limited("RATE_LIMIT_UPLOAD", per_user=True)
def listing(event_id):
    """GET: the event's files, newest first, and the upload form for its members. POST:
    upload one file to the event (its group's members)."""
    if request.method == "GET":
        event = find_event_for_files(event_id)
        form = UploadForm(formdata=None) if can_upload(current_user, event) else None
        return files_panel(event, form)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return upload(find_event_for_files(event_id, need=can_upload))


def upload(event):
    form = UploadForm()
    if form.validate_on_submit():
        chosen = form.file.data
        try:
            stored = upload_file(current_user, event, chosen.filename, chosen.read())
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(name)s” is uploaded.", name=stored.name), "success")
            if not wants_fragment():
                return redirect_to(files_url(event))
            return files_panel(event, UploadForm(formdata=None))
    return files_panel(event, form, status=422)


def sent(stored, key, mimetype, as_attachment, download_name):
    try:
        response = get_storage().send(key, download_name, mimetype, as_attachment)
    except StorageError:
        abort(404)
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Personal: the browser may keep it if it asks again first, a shared cache may not.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/events/<int:event_id>/files/<int:file_id>")
def download(event_id, file_id):
    """The file itself, as an attachment under its cleaned name."""
    stored = find_file(event_id, file_id)
    mimetype = stored.content_type if stored.is_image else "application/octet-stream"
    return sent(stored, stored.storage_key, mimetype, True, stored.name)


@bp.get("/events/<int:event_id>/files/<int:file_id>/thumbnail")
def thumbnail(event_id, file_id):
    """An image's thumbnail (404 until the job has made it)."""
    stored = find_file(event_id, file_id)
    if not stored.thumbnail_key:
        abort(404)
    name = stored.name.rpartition(".")[0] or stored.name
    return sent(stored, stored.thumbnail_key, "image/webp", False, f"{name} (small).webp")


@bp.route("/events/<int:event_id>/files/<int:file_id>/delete", methods=["GET", "POST"])
@login_required
def delete(event_id, file_id):
    """GET asks (a page, or a dialog with JavaScript); POST deletes the file for good."""
    stored = find_file(event_id, file_id, need=can_delete_file)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            delete_file(current_user, stored)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(name)s” is deleted.", name=stored.name), "info")
            return redirect_to(files_url(stored.event))
    return render(
        "files/delete.html",
        "files/_delete.html",
        status=422 if form.is_submitted() else 200,
        stored=stored,
        event=stored.event,
        form=form,
    )
