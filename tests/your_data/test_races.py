"""Your data under concurrent requests: many tabs asking for a download at once start one
build; an account deleted while others answer the same full event leaves the counters
right and never more people going than the capacity."""

import threading

import pytest
import sqlalchemy as sa

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.events.factories import make_event
from tests.events.rsvp.support import assert_counters_match_rows, going
from tests.groups.factories import add_member, make_group
from tests.support.races import logged_in_clients, post_at_once, tabs_of
from tests.your_data.support import answer
from webapp.extensions import db
from webapp.your_data.models import DataExport

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_tabs_asking_at_once_start_one_download(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_DATA_EXPORT", "100 per hour")
    with app.app_context():
        email = make_user().email
    tabs = tabs_of(app, email, 8)
    statuses = post_at_once(tabs, "/settings/data/export", {})
    assert set(statuses) == {303}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DataExport)) == 1


def test_deleting_while_others_answer_keeps_the_capacity(app):
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        leaver = make_user()
        add_member(group, leaver)
        others = [add_member(group, make_user()).user for _ in range(6)]
        event = make_event(group, capacity=2)
        answer(leaver, event)
        answer(others[0], event)
        event_id, leaver_email = event.id, leaver.email
        emails = [person.email for person in others[1:]]
    clients = logged_in_clients(app, [leaver_email, *emails])
    url_of = [
        "/settings/delete",
        *[f"/events/{event_id}/rsvp" for _ in emails],
    ]

    def form(index):
        return {"password": DEFAULT_PASSWORD} if index == 0 else {"answer": "going"}

    tokens = [client.csrf_token() for client in clients]
    barrier = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def send(index):
        barrier.wait()
        response = clients[index].post(
            url_of[index], data=form(index), headers={"X-CSRFToken": tokens[index]}
        )
        statuses[index] = response.status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses[0] == 303
    with app.app_context():
        assert len(going(event_id)) == 2
        assert_counters_match_rows(event_id)
