"""The documented backup and restore (docs/operations.md, "Backups"), done: pg_dump of
the database and a tar of the upload folder, restored into a new database and folder,
serve the same people, events and files. The commands here are the docs'; change one,
change both."""

import hashlib
import subprocess

import pytest
import sqlalchemy as sa

from tests.conftest import Auth
from tests.files.support import empty_upload_dir, files_world, make_file, png_bytes
from tests.support.other_apps import app_like
from webapp.events.access import event_url
from webapp.extensions import db

pytestmark = pytest.mark.postgres


def libpq_url(sqlalchemy_url):
    """The URL pg_dump and psql take: SQLAlchemy's without the driver's name."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def run(*command, cwd=None):
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=cwd, check=False
    )
    assert result.returncode == 0, result.stderr
    return result


def test_a_backup_restored_elsewhere_serves_the_same_people_events_and_files(
    app, tmp_path, scratch_database
):
    empty_upload_dir(app)
    with app.app_context():
        _, mira, _, _, event = files_world()
        photo = make_file(event, mira, name="lanterns.png", data=png_bytes())
        kept = {"event": event.id, "file": photo.id, "mira": mira.email, "sha256": photo.sha256}
        with app.test_request_context():
            page = event_url(event)
    backup = tmp_path / "backup"
    backup.mkdir()

    # Backing up (docs/operations.md): the database, then the upload folder.
    run(
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--file",
        str(backup / "hearth.dump"),
        libpq_url(app.config["SQLALCHEMY_DATABASE_URI"]),
    )
    run(
        "tar",
        "--create",
        "--gzip",
        "--file",
        str(backup / "uploads.tar.gz"),
        "--directory",
        app.config["UPLOAD_DIR"],
        ".",
    )

    # Restoring (docs/operations.md): into an empty database and an empty folder.
    uploads = tmp_path / "restored-uploads"
    uploads.mkdir()
    run(
        "pg_restore",
        "--no-owner",
        "--exit-on-error",
        "--dbname",
        libpq_url(scratch_database),
        str(backup / "hearth.dump"),
    )
    run(
        "tar",
        "--extract",
        "--gzip",
        "--file",
        str(backup / "uploads.tar.gz"),
        "--directory",
        str(uploads),
    )

    with app_like(
        app, SQLALCHEMY_DATABASE_URI=scratch_database, UPLOAD_DIR=str(uploads)
    ) as restored:
        with restored.app_context():
            # Already at the newest migration: `flask db upgrade` after a restore is a no-op.
            version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        client = restored.test_client()
        assert Auth(client).login(kept["mira"]).status_code == 303
        assert client.get(page).status_code == 200
        with client.get(f"/events/{kept['event']}/files/{kept['file']}") as download:
            assert download.status_code == 200
            assert hashlib.sha256(download.get_data()).hexdigest() == kept["sha256"]
    with app.app_context():
        assert version == db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
