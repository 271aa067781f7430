"""The storage interface's local backend: server-made keys only, objects written whole,
and nothing outside its folder reachable by any key."""

import pytest

from tests.support.other_apps import app_like
from webapp.storage import KEY_PATTERN, StorageError, new_key
from webapp.storage.local import LocalStorage


def test_keys_are_random_and_carry_nothing_of_a_name():
    keys = {new_key(".webp") for _ in range(100)}
    assert len(keys) == 100
    assert all(KEY_PATTERN.match(key) and key.endswith(".webp") for key in keys)


def test_save_open_delete(tmp_path):
    storage = LocalStorage(tmp_path)
    key = storage.save(b"minutes")
    with storage.open(key) as file:
        assert file.read() == b"minutes"
    assert (tmp_path / key).read_bytes() == b"minutes"
    assert not list(tmp_path.rglob(".upload-*"))  # no half-written leftovers
    storage.delete(key)
    storage.delete(key)  # already gone: not an error
    with pytest.raises(StorageError):
        storage.open(key)


@pytest.mark.parametrize(
    "key",
    [
        "../secret_key",
        "ab/cd/../../../secret_key",
        "/etc/passwd",
        "ab/cd/" + "0" * 31 + "/",
        "ab\\cd\\" + "0" * 32,
        "AB/CD/" + "0" * 32,
        "",
        None,
    ],
)
def test_a_key_that_is_not_ours_reaches_nothing(tmp_path, key):
    (tmp_path.parent / "secret_key").write_text("secret")
    storage = LocalStorage(tmp_path / "uploads")
    for action in (storage.open, storage.delete):
        with pytest.raises(StorageError):
            action(key)
    assert (tmp_path.parent / "secret_key").exists()


def test_sending_a_missing_object_is_a_storage_error(app, tmp_path):
    storage = LocalStorage(tmp_path)
    with app.test_request_context(), pytest.raises(StorageError):
        storage.send(new_key(), "minutes.pdf", "application/octet-stream")


def test_an_unknown_backend_is_refused_at_start(app):
    with (
        pytest.raises(RuntimeError, match="STORAGE_BACKEND must be one of local"),
        app_like(app, STORAGE_BACKEND="s3"),
    ):
        pass


def test_the_default_folder_is_under_the_instance_path_not_static(app):
    with app_like(app, UPLOAD_DIR=None) as other:
        folder = other.config["UPLOAD_DIR"]
        assert folder.startswith(other.instance_path)
        assert "static" not in folder
