"""The upload form: one file. What it may be is the rules' (content.py), not the form's."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from webapp.web.translating import lazy_gettext as _l


class UploadForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file to upload."))],
        description=_l(
            "Documents (PDF, Word, Excel, PowerPoint, OpenDocument, plain text) "
            "or images (PNG, JPEG, GIF, WebP)."
        ),
    )
