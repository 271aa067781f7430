"""The upload form: one file. What it may be is the rules' (content.py), not the form's."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class UploadForm(FlaskForm):
    file = FileField(
        "File",
        validators=[FileRequired("Choose a file to upload.")],
        description="Documents (PDF, Word, Excel, PowerPoint, OpenDocument, plain text) "
        "or images (PNG, JPEG, GIF, WebP).",
    )
