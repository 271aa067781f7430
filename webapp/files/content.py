"""What an upload is, decided from its bytes (the name must agree), and images made safe.

The allow-list: PDF; office documents (docx, xlsx, pptx and OpenDocument: zip files whose
content filetype recognises, with a name that agrees); PNG, JPEG, GIF and WebP images; and
plain text (.txt, .md, .csv), which has no magic number, so only when it decodes as UTF-8
without a NUL. Everything else (HTML, SVG, scripts, archives, old binary office formats) is
refused. Images are decoded and written again by Pillow, which leaves EXIF (and with it
any GPS position) and other metadata behind, after a pixel-count check against bombs.
"""

import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.database.unit_of_work import RuleError
from webapp.files.models import FileKind
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

# content type -> (kind, the name endings that agree with it, the ending a name gets)
ALLOWED = {
    "application/pdf": (FileKind.DOCUMENT, ("pdf",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        FileKind.DOCUMENT,
        ("docx",),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        FileKind.DOCUMENT,
        ("xlsx",),
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        FileKind.DOCUMENT,
        ("pptx",),
    ),
    "application/vnd.oasis.opendocument.text": (FileKind.DOCUMENT, ("odt",)),
    "application/vnd.oasis.opendocument.spreadsheet": (FileKind.DOCUMENT, ("ods",)),
    "application/vnd.oasis.opendocument.presentation": (FileKind.DOCUMENT, ("odp",)),
    "image/png": (FileKind.IMAGE, ("png",)),
    "image/jpeg": (FileKind.IMAGE, ("jpg", "jpeg")),
    "image/gif": (FileKind.IMAGE, ("gif",)),
    "image/webp": (FileKind.IMAGE, ("webp",)),
}
TEXT_ENDINGS = ("txt", "md", "csv")
PILLOW_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
NAME_LIMIT = 200
# Office documents are zip files, which we store and never unpack. Whoever downloads one
# unpacks it, though: one that says it unpacks to far more than any real document (a zip
# bomb, often named .docx) is refused. From the archive's directory alone, nothing unpacked.
ZIP_UNPACKED_LIMIT = 512 * 1024 * 1024
ZIP_RATIO_LIMIT = 200
ZIP_ENTRIES_LIMIT = 10_000
# What image files carry besides their pixels, as Pillow names it when it reads them.
METADATA_KEYS = ("exif", "comment", "xmp", "XML:com.adobe.xmp", "photoshop", "Description")


@dataclass
class Inspected:
    kind: FileKind
    content_type: str
    data: bytes


def clean_name(raw):
    """The uploaded name as people may read it: the last part of any path, no control
    characters, at most NAME_LIMIT characters with its ending kept."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if not name:
        return "file"
    if len(name) > NAME_LIMIT:
        stem, dot, ending = name.rpartition(".")
        if dot and 0 < len(ending) <= 10:
            name = stem[: NAME_LIMIT - len(ending) - 1] + "." + ending
        else:
            name = name[:NAME_LIMIT]
    return name


def ending_of(name):
    stem, dot, ending = name.rpartition(".")
    return ending.lower() if dot and stem else ""


def inspect_upload(name, data, max_pixels):
    """What the upload is, with images written again without their metadata; RuleError on
    the field "file" for anything not on the allow-list."""
    if not data:
        raise RuleError(_("The file is empty."), field="file")
    ending = ending_of(name)
    found = filetype.guess(data)
    if found is None:
        if ending in TEXT_ENDINGS and is_plain_text(data):
            return Inspected(FileKind.TEXT, "text/plain; charset=utf-8", data)
        raise RuleError(
            _(
                "This kind of file is not accepted. Upload PDF, Word, Excel, PowerPoint, "
                "OpenDocument, PNG, JPEG, GIF, WebP, or plain text."
            ),
            "file",
        )
    if found.mime not in ALLOWED:
        raise RuleError(
            # TRANSLATORS: kind is the file's type as found in it, such as "zip" or "exe".
            _(
                "This kind of file (%(kind)s) is not accepted. Upload PDF, Word, Excel, "
                "PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP, or plain text.",
                kind=found.extension,
            ),
            field="file",
        )
    kind, endings = ALLOWED[found.mime]
    if ending not in endings:
        raise RuleError(misnamed(ending, found.extension.upper(), endings[0]), field="file")
    if kind == FileKind.IMAGE:
        data = without_metadata(data, found.mime, max_pixels)
    elif kind == FileKind.DOCUMENT and data[:2] == b"PK":
        refuse_zip_bomb(data)
    return Inspected(kind, found.mime, data)


def misnamed(ending, found, expected):
    """Why a name whose ending (none: "") disagrees with the content found is refused."""
    if ending:
        # TRANSLATORS: ending and expected are name endings ("pdf"), found a type ("PNG").
        return _(
            "The file's name ends in “.%(ending)s”, but its content is %(found)s. "
            "Rename it to end in “.%(expected)s”.",
            ending=ending,
            found=found,
            expected=expected,
        )
    return _(
        "The file's name has no ending, but its content is %(found)s. "
        "Rename it to end in “.%(expected)s”.",
        found=found,
        expected=expected,
    )


def refuse_zip_bomb(data):
    """RuleError when the office document (a zip) is not one a person could have made:
    unreadable, thousands of parts, or unpacking to far more than it weighs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise RuleError(_("This document is damaged: it cannot be opened."), field="file") from None
    unpacked = sum(entry.file_size for entry in entries)
    if (
        len(entries) > ZIP_ENTRIES_LIMIT
        or unpacked > ZIP_UNPACKED_LIMIT
        or unpacked > ZIP_RATIO_LIMIT * max(len(data), 1) + 1024 * 1024
    ):
        raise RuleError(
            _(
                "This document unpacks to far more than it weighs, as no real document does. "
                "Save it again from its program and upload that."
            ),
            field="file",
        )


def is_plain_text(data):
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def open_image(data, max_pixels):
    """The image, its size checked before any pixel is decoded; RuleError for bombs and
    for files that only look like images."""
    # Pillow's own guard, at the same number: it refuses frames the check below cannot see.
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise RuleError(too_many_pixels(width, height, max_pixels), field="file")
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > max_pixels * 4:
                raise RuleError(too_many_pixels(width, height, max_pixels), field="file")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RuleError(too_many_pixels(0, 0, max_pixels), field="file") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RuleError(unreadable_image(), field="file") from None
    return image


def unreadable_image():
    return _("The image could not be read: it may be damaged.")


def too_many_pixels(width, height, max_pixels):
    millions = max_pixels // 1_000_000
    if width:
        return ngettext(
            "The image is too large (%(width)d by %(height)d): at most %(num)d million "
            "pixels. Make it smaller and upload it again.",
            "The image is too large (%(width)d by %(height)d): at most %(num)d million "
            "pixels. Make it smaller and upload it again.",
            millions,
            width=width,
            height=height,
        )
    return ngettext(
        "The image is too large: at most %(num)d million pixels. "
        "Make it smaller and upload it again.",
        "The image is too large: at most %(num)d million pixels. "
        "Make it smaller and upload it again.",
        millions,
    )


def without_metadata(data, mime, max_pixels):
    """The image written again: its pixels (turned upright as its EXIF said), its colour
    profile, and nothing else of what the camera recorded."""
    image = open_image(data, max_pixels)
    fmt = PILLOW_FORMATS[mime]
    animated = getattr(image, "n_frames", 1) > 1
    try:
        # Turned first: the turn reads the orientation from the EXIF about to be dropped.
        picture = image if animated else ImageOps.exif_transpose(image)
        # Pillow writes some of what it read back out (a GIF's comment): drop it all.
        for key in METADATA_KEYS:
            picture.info.pop(key, None)
        options = {}
        if picture.info.get("icc_profile"):
            options["icc_profile"] = picture.info["icc_profile"]
        if animated:
            # Frames and their timing kept; no EXIF is written unless given one.
            options["save_all"] = True
        elif fmt == "JPEG":
            if picture.mode not in ("RGB", "L", "CMYK"):
                picture = picture.convert("RGB")
            options.update(quality=92, optimize=True)
        output = io.BytesIO()
        picture.save(output, fmt, **options)
    except (OSError, ValueError):
        raise RuleError(unreadable_image(), field="file") from None
    return output.getvalue()


def thumbnail_of(data, max_pixels, longest_side=320):
    """A small WebP of the image (its first frame), or None when it cannot be made."""
    try:
        image = open_image(data, max_pixels)
    except RuleError:
        return None
    image.seek(0)
    small = ImageOps.exif_transpose(image.copy())
    if small.mode not in ("RGB", "RGBA"):
        small = small.convert("RGBA" if "transparency" in image.info else "RGB")
    small.thumbnail((longest_side, longest_side))
    output = io.BytesIO()
    small.save(output, "WEBP", quality=80)
    return output.getvalue()
