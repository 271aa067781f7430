"""SQL statements per request on the files pages stay few, and the same with 2 files and
30 (from several uploaders): counted by the benchmark's own counter. The event page is
not touched by files (a plain link), so its count stays as it was."""

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.files.support import empty_upload_dir, make_file, png_bytes
from tests.groups.factories import add_member, make_group
from tests.support.other_apps import app_like
from tests.support.query_counting import statements_per_page
from webapp.events.models import Event
from webapp.extensions import db
from webapp.files.thumbnails import make_thumbnail
from webapp.operations.bench import QUERY_COUNT_HEADER

BUDGET = 4
# (name, who asks, path, htmx)
PAGES = [
    ("files page", "visitor", "/events/{event}/files", False),
    ("files page", "member", "/events/{event}/files", False),
    ("files page", "organiser", "/events/{event}/files", False),
    ("files fragment", "member", "/events/{event}/files", True),
    ("delete page", "organiser", "/events/{event}/files/{file}/delete", False),
    ("event page", "member", "/events/{event}-picnic", False),
]
DOWNLOADS = {
    "download (visitor)": "/events/{event}/files/{file}",
    "thumbnail (visitor)": "/events/{event}/files/{file}/thumbnail",
}


def grow(app, ids, count):
    """count more files on the event, each by a new member, every other one an image."""
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        for number in range(count):
            person = make_user()
            add_member(event.group, person)
            if number % 2:
                make_file(event, person, name=f"notes-{number}.pdf")
            else:
                stored = make_file(event, person, name=f"photo-{number}.png", data=png_bytes())
                make_thumbnail(stored.id)


@pytest.fixture
def world(app):
    empty_upload_dir(app)
    with app.app_context():
        owner = make_user()
        member = make_user(email="member@example.org")
        organiser = make_user(email="organiser@example.org")
        walkers = make_group(owner, name="Walkers", slug="walkers")
        add_member(walkers, member)
        add_member(walkers, organiser, role="organiser")
        event = make_event(walkers, title="Picnic")
        stored = make_file(event, member, name="route.png", data=png_bytes())
        make_thumbnail(stored.id)
        return {"event": event.id, "file": stored.id}


def download_counts(counting_app, values):
    client = counting_app.test_client()
    counts = {}
    for name, path in DOWNLOADS.items():
        with client.get(path.format(**values)) as response:
            response.get_data()
            assert response.status_code == 200, path
            counts[name] = int(response.headers[QUERY_COUNT_HEADER])
    return counts


@pytest.mark.timeout(120)
def test_statements_per_files_page_stay_few_and_do_not_grow(app, world, monkeypatch):
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        grow(counting_app, world, 1)
        small = statements_per_page(counting_app, PAGES, world)
        small_downloads = download_counts(counting_app, world)
        grow(counting_app, world, 28)
        big = statements_per_page(counting_app, PAGES, world)
        big_downloads = download_counts(counting_app, world)

    assert small == big
    assert small_downloads == big_downloads
    # The event page's own budget is the events tests'; here it only must not grow.
    ours = {
        page: count
        for page, count in {**big, **big_downloads}.items()
        if not page.startswith("event page")
    }
    over = {page: count for page, count in ours.items() if count > BUDGET}
    assert not over, f"over {BUDGET} statements: {over}"
