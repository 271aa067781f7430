"""The local backend: objects as files in one folder (UPLOAD_DIR), under server-made keys."""

import contextlib
import os
import tempfile
from pathlib import Path

from flask import send_file

from webapp.storage import KEY_PATTERN, Storage, StorageError, new_key


class LocalStorage(Storage):
    """Objects as files in one folder; keys name their place under it."""

    def __init__(self, root):
        self.root = Path(root).resolve()

    def path(self, key):
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise StorageError(f"not a storage key: {key!r}")
        return self.root / key

    def save(self, data, suffix=""):
        key = new_key(suffix)
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside, then renamed: a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return key

    def open(self, key):
        try:
            return self.path(key).open("rb")
        except FileNotFoundError:
            raise StorageError(f"no object {key!r}") from None

    def delete(self, key):
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()

    def send(self, key, download_name, mimetype, as_attachment=True):
        path = self.path(key)
        if not path.is_file():
            raise StorageError(f"no object {key!r}")
        # send_file writes filename*= (RFC 5987) for names that are not plain ASCII.
        return send_file(
            path,
            mimetype=mimetype,
            as_attachment=as_attachment,
            download_name=download_name,
            conditional=True,
            etag=True,
            max_age=0,
        )
