"""Every field that takes a web address refuses control characters: a line break in an
event's online link once let "Bcc:" ride into every email and calendar that carried it.

The forms are found by crawling every page as every kind of person (tests/support/fuzz.py),
so a URL field added to any form later is held to the same rule without a new test.
"""

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from tests.conftest import Auth
from tests.support.auth import field_error
from tests.support.fuzz import (
    PLAUSIBLE,
    ROLES,
    crawl_pages,
    endpoint_of,
    find_form,
    post_forms,
    role_clients,
)
from webapp.extensions import db

# The host marks what a refused address would have stored, so the database can be searched.
PROBE_HOST = "probe.invalid"
# (A NUL byte is refused in any input, with a 400, before a form sees it.)
HOSTILE_ADDRESSES = (
    f"https://{PROBE_HOST}/\r\nBcc: someone@example.org",
    f"https://{PROBE_HOST}/\nSubject: hi",
    f"https://{PROBE_HOST}/a\tb",
    f"https://{PROBE_HOST}/\x7f",
    f"https://{PROBE_HOST}/\x1b[31m",
    f"https://{PROBE_HOST}/\u2028next",
)
REFUSAL = "A web address cannot hold line breaks, tabs or other control characters."
GOOD_ADDRESS = "https://meet.example.org/hearth-room"
# Who submits a form more than one person sees: the one who may do most with it.
PREFERENCE = ("owner", "admin", "organiser", "cohost", "member", "pending", "outsider", "visitor")


def url_forms(app, clients, world):
    """endpoint -> (role, page url, url field names) for every form with a URL field."""
    found = {}
    for role, url, response in crawl_pages(app, clients, world):
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        for form in post_forms(response.get_data(as_text=True), url):
            names = [name for name, kind, *_ in form.fields if kind == "url"]
            endpoint = endpoint_of(app, form.action)
            if names and endpoint:
                found.setdefault(endpoint, []).append((role, url, names))
    return {
        endpoint: min(places, key=lambda place: PREFERENCE.index(place[0]))
        for endpoint, places in found.items()
    }


def filled_in(form, addresses):
    """The form as a person would send it, with addresses in its URL fields."""
    data = MultiDict()
    # Required times one hour apart, in the order of the form: a start, then its end.
    hour = 17
    for name, kind, value, options in form.fields:
        if name in addresses:
            data.add(name, addresses[name])
        elif kind in ("checkbox", "radio"):
            continue
        elif value or name not in form.required:
            data.add(name, value)
        elif kind in ("text", "textarea"):
            data.add(name, "A web address probe")
        elif kind == "datetime-local":
            hour += 1
            data.add(name, f"2031-05-01T{hour}:00")
        else:
            data.add(name, PLAUSIBLE.get(kind) or (options[-1] if options else ""))
    return data


def rows_holding(text):
    """How many rows of any table hold text in any string column."""
    count = 0
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.String):
                count += db.session.scalar(
                    sa.select(sa.func.count()).select_from(table).where(column.contains(text))
                )
    return count


@pytest.fixture(scope="module")
def found_by_the_crawl():
    """The crawl's finds, kept for the module: every test is given the world as built, with
    the same ids (conftest's fuzz_world), so the forms are where the first crawl found them."""
    return {}


@pytest.fixture
def forms(app, fuzz_world, found_by_the_crawl):
    clients = role_clients(app, Auth, roles=ROLES)
    if not found_by_the_crawl:
        found_by_the_crawl.update(url_forms(app, clients, fuzz_world))
    return clients, found_by_the_crawl


def test_the_crawl_finds_the_forms_that_take_a_web_address(forms):
    _, found = forms
    assert {"events.new", "events.manage.edit"} <= set(found)


def test_every_web_address_field_refuses_control_characters(app, forms):
    clients, found = forms
    for endpoint, (role, url, names) in sorted(found.items()):
        client = clients[role]
        for hostile in HOSTILE_ADDRESSES:
            for name in names:
                form = find_form(app, client, endpoint, url)
                response = client.post(
                    form.action, data=filled_in(form, {name: hostile}), follow_redirects=False
                )
                assert response.status_code == 422, (endpoint, name, repr(hostile))
                assert field_error(response, name) == REFUSAL, (endpoint, name, repr(hostile))
        with app.app_context():
            assert rows_holding(PROBE_HOST) == 0, endpoint

        # The same form with a plain address goes through: the refusal was the address's.
        form = find_form(app, client, endpoint, url)
        response = client.post(
            form.action,
            data=filled_in(form, dict.fromkeys(names, GOOD_ADDRESS)),
            follow_redirects=False,
        )
        assert response.status_code in (200, 303), (endpoint, response.status_code)
        with app.app_context():
            assert rows_holding(GOOD_ADDRESS) >= 1, endpoint
