"""The files' list in words: how many files, in the plural form the count needs, and each
file's size as Babel says it in the page's language ("140 bytes", "1.2 MB", "1,2 MB")."""

import re

import pytest

from tests.files.support import empty_upload_dir, files_world, make_file
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.extensions import db
from webapp.web.languages import LANGUAGE_COOKIE


@pytest.fixture
def lantern_night(app):
    """The event's id and a function that adds a text file of n bytes to it."""
    empty_upload_dir(app)
    with app.app_context():
        _, mira, _, _, event = files_world()
        event_id, mira_id = event.id, mira.id

    def add_file(name, size):
        with app.app_context():
            make_file(
                db.session.get(Event, event_id), db.session.get(User, mira_id), name, b"a" * size
            )

    yield event_id, add_file
    empty_upload_dir(app)


def heading(html):
    return re.search(r'<h2 id="files-heading">([^<]*)</h2>', html).group(1)


def listing(client, event_id, language="en"):
    client.set_cookie(LANGUAGE_COOKIE, language)
    response = client.get(f"/events/{event_id}/files")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_count_of_files_reads_right_for_none_one_and_two(client, lantern_night):
    event_id, add_file = lantern_night
    assert heading(listing(client, event_id)) == "0 files"
    add_file("one.txt", 1)
    assert heading(listing(client, event_id)) == "1 file"
    add_file("two.txt", 2)
    assert heading(listing(client, event_id)) == "2 files"


def test_sizes_read_as_the_pages_language_says_them(client, lantern_night):
    event_id, add_file = lantern_night
    add_file("one.txt", 1)
    add_file("notes.txt", 140)
    add_file("big.txt", 1_234_567)

    english = listing(client, event_id)
    assert "<small>1 byte · " in english
    assert "<small>140 bytes · " in english
    assert "<small>1.2 MB · " in english
    assert "Bytes" not in english

    spanish = listing(client, event_id, "es")
    assert "<small>1,2 MB · " in spanish
    assert "<small>140 bytes · " in spanish
