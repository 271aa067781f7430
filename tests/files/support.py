"""Files for upload tests, made here in memory: images (one with a GPS position in its
EXIF), a PDF, an office document, and things that only pretend to be one of them."""

import io
import zipfile
from pathlib import Path

from PIL import ExifTags, Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.extensions import db
from webapp.files.models import StoredFile
from webapp.files.services import upload_file


def png_bytes(size=(48, 32), colour="teal", mode="RGB"):
    output = io.BytesIO()
    Image.new(mode, size, colour).save(output, "PNG")
    return output.getvalue()


def camera_exif():
    """EXIF naming a camera and a place (Amsterdam)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Hearth Test Camera"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 22.0, 1.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 53.0, 2.0),
    }
    return exif


def image_with_gps(fmt, size=(64, 48), orientation=None):
    """An image in fmt (JPEG, PNG, WEBP) whose EXIF names a camera and a place (and, if
    given, the EXIF orientation: 6 means "turn 90 degrees clockwise to show")."""
    exif = camera_exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    output = io.BytesIO()
    Image.new("RGB", size, "orange").save(output, fmt, exif=exif)
    return output.getvalue()


def jpeg_with_gps(size=(64, 48)):
    return image_with_gps("JPEG", size)


def animated_gif(frames=3):
    """A GIF of a few frames, with a comment."""
    colours = ["red", "green", "blue", "white"][:frames]
    images = [Image.new("RGB", (40, 30), colour) for colour in colours]
    output = io.BytesIO()
    images[0].save(
        output, "GIF", save_all=True, append_images=images[1:], duration=200, comment=b"made here"
    )
    return output.getvalue()


def bomb_png(side=10_000):
    """A PNG of side x side pixels: a few kilobytes on disk, 100 million pixels in memory."""
    output = io.BytesIO()
    Image.new("1", (side, side)).save(output, "PNG", optimize=True)
    return output.getvalue()


def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def docx_bytes():
    """The parts of a .docx that tell it from any zip file."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
            '+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return output.getvalue()


def docx_bomb(unpacked_mb=300):
    """A .docx by its first parts, with a part of zeros that unpacks to unpacked_mb."""
    output = io.BytesIO(docx_bytes())
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(output, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/zeros.bin", "w", force_zip64=True) as part,
    ):
        for _ in range(unpacked_mb):
            part.write(zeros)
    return output.getvalue()


def zip_bytes():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return output.getvalue()


SCRIPT = b"#!/bin/sh\nrm -rf --no-preserve-root /\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


def multipart(fields):
    """(content type, body) of a multipart form, the body as bytes in memory: the test
    client spools a large body to a temporary file that a refused request leaves open."""
    values = {
        name: FileStorage(io.BytesIO(value[1]), filename=value[0])
        if isinstance(value, tuple)
        else value
        for name, value in fields.items()
    }
    boundary, body = encode_multipart(values)
    return f"multipart/form-data; boundary={boundary}", body


def upload(client, event_id, name, data, htmx=False, url=None, **kwargs):
    """POST one file to the event's files, as the browser's form sends it."""
    content_type, body = multipart({"file": (name, data)})
    return client.submit(
        url or f"/events/{event_id}/files",
        body,
        htmx=htmx,
        content_type=content_type,
        **kwargs,
    )


def make_file(event, uploader, name="notes.pdf", data=None):
    """A committed file of event, uploaded through the rules; call in an app context."""
    stored = upload_file(uploader, event, name, data if data is not None else pdf_bytes())
    db.session.commit()
    return stored


def objects_on_disk(app):
    """Every stored object (file) under the test app's UPLOAD_DIR."""
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(path for path in root.rglob("*") if path.is_file())


def empty_upload_dir(app):
    for path in objects_on_disk(app):
        path.unlink()


def stored_files():
    return db.session.scalars(db.select(StoredFile).order_by(StoredFile.id)).all()


def files_world(visibility="public"):
    """Olu's group with Mira as a member and Sam outside it, and an event of the group;
    (olu, mira, sam, group, event). Call in an app context."""
    olu = make_user(email="olu@example.org", first_name="Olu", last_name="Adeyemi")
    mira = make_user(email="mira@example.org", first_name="Mira", last_name="Sato")
    sam = make_user(email="sam@example.org", first_name="Sam", last_name="Lee")
    group = make_group(olu, name="Canal Walkers", visibility=visibility)
    add_member(group, mira)
    event = make_event(group, title="Lantern night")
    return olu, mira, sam, group, event
