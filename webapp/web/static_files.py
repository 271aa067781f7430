"""Static files under content-hashed names, cached for good, compressed, served before Flask.

`url_for("static", filename="css/app.css")` gives /static/css/app.<hash>.css. A new
version of a file is a new address, so browsers keep each one for a year without asking
again (a repeat view of a page is one request). WhiteNoise answers /static/ in front of
the Flask app: no session, no user, no database, no Vary: Cookie; it picks the
precompressed .br or .gz copy the browser accepts.

The copies (hashed names, gzip, brotli) are made once per content: at the first start
into instance/static-build/<digest of every file>/, built aside and renamed into place so
that workers starting together never serve a half-written file.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from webapp.web.fixed_addresses import STATIC_NAMES
from webapp.web.hooks import SECURITY_HEADERS

ONE_YEAR = 365 * 24 * 60 * 60
# Addresses without a hash (typed, or kept by an old page) may change: an hour at most.
UNVERSIONED_MAX_AGE = 60 * 60


class StaticFiles(WhiteNoise):
    FOREVER = ONE_YEAR


def versioned_name(name, content):
    digest = hashlib.sha256(content).hexdigest()[:12]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"


def manifest_of(source):
    """{"css/app.css": "css/app.<hash>.css", ...} for every file under source."""
    manifest = {}
    for path in sorted(source.rglob("*")):
        if path.is_file():
            name = path.relative_to(source).as_posix()
            manifest[name] = versioned_name(name, path.read_bytes())
    return manifest


def build(source, target_root, manifest):
    """The directory holding each file under both names, with .gz and .br beside them."""
    digest = hashlib.sha256(repr(sorted(manifest.items())).encode()).hexdigest()[:16]
    target = target_root / digest
    if target.is_dir():
        return target
    target_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=target_root))
    compressor = Compressor(quiet=True)
    for name, versioned in manifest.items():
        for copy_name in (name, versioned):
            copy = scratch / copy_name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, copy)
            if compressor.should_compress(copy.name):
                compressor.compress(str(copy))
    try:
        os.rename(scratch, target)
    except OSError:
        # Another worker finished the same build first: its copy is the same bytes.
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def register_static_files(app: Flask):
    if app.debug:
        # Files edited while developing show on reload, through Flask's own static route.
        return
    source = Path(app.static_folder)
    manifest = manifest_of(source)
    root = build(source, Path(app.instance_path) / "static-build", manifest)
    versioned_urls = {f"/static/{name}" for name in manifest.values()}
    app.extensions[STATIC_NAMES] = frozenset(manifest)

    @app.url_defaults
    def versioned_static_url(endpoint, values):
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        root=str(root),
        prefix="/static/",
        max_age=UNVERSIONED_MAX_AGE,
        immutable_file_test=lambda path, url: url in versioned_urls,
        allow_all_origins=False,
        add_headers_function=add_security_headers,
    )


def add_security_headers(headers, path, url):
    # The app's after_request hooks never see these answers: WhiteNoise sends them.
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
