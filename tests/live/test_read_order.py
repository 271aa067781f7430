"""A live part shows the version read before its data: a change committed while a page is
being made (after its data was read) reaches that page at its next poll, instead of being
counted as seen. Once for the RSVP panel (on the event page and alone), once for a poll's
results."""

import re
import threading

import pytest
import sqlalchemy as sa

from tests.events.rsvp.support import event_with_members
from tests.events.rsvp.test_live import logged_in, poll, poll_url
from tests.polls.factories import make_poll, option_ids
from tests.support.auth import html
from webapp.events.rsvp import panel as rsvp_panel
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls import results as poll_results


def change_while_reading(monkeypatch, module, name, change):
    """module.name reads a part's data; change() commits through another client right
    after it, once, as a concurrent request would."""
    read = getattr(module, name)
    pending = [change]

    def read_then_change(*args, **kwargs):
        found = read(*args, **kwargs)
        if pending:
            # Another thread: a request of its own, with its own session and transaction
            # (a request made from this thread would share this request's session).
            other = threading.Thread(target=pending.pop())
            other.start()
            other.join()
        return found

    monkeypatch.setattr(module, name, read_then_change)


@pytest.mark.parametrize("page", ["/events/{id}", "/events/{id}/rsvp"], ids=["page", "panel"])
def test_an_answer_committed_while_the_panel_is_made_reaches_it(app, monkeypatch, page):
    with app.app_context():
        setup = event_with_members(2, capacity=5, title="Night market")
    watcher = logged_in(app, setup.emails[0])
    other = logged_in(app, setup.emails[1])
    url = f"/events/{setup.event_id}/rsvp"
    change_while_reading(
        monkeypatch,
        rsvp_panel,
        "answer_and_place",
        lambda: other.submit(url, {"answer": "going"}),
    )
    shown = watcher.get(page.format(id=setup.event_id), follow_redirects=True)
    assert "<strong>0</strong> going" in html(shown)

    answer = poll(watcher, poll_url(shown, setup.event_id))
    assert answer.status_code == 200, "the answer made while the page was made is lost"
    assert "<strong>1</strong> going" in html(answer)


def test_a_vote_committed_while_the_results_are_made_reaches_them(app, monkeypatch):
    with app.app_context():
        setup = event_with_members(2, title="Night market")
        group = db.session.scalar(sa.select(Group).where(Group.slug == setup.group_slug))
        made = make_poll(group, labels=("Park", "Canal"))
        poll_id, canal = made.id, option_ids(made)[1]
    watcher = logged_in(app, setup.emails[0])
    voter = logged_in(app, setup.emails[1])
    change_while_reading(
        monkeypatch,
        poll_results,
        "options_and_answers",
        lambda: voter.submit(f"/polls/{poll_id}/vote", {"option": str(canal)}),
    )
    shown = watcher.get(f"/polls/{poll_id}/results")
    assert "1 person voted" not in html(shown)

    live_url = re.search(rf'hx-get="(/polls/{poll_id}/results/live\?v=[^"]*)"', html(shown))
    assert live_url, "the results do not poll"
    answer = poll(watcher, live_url.group(1).replace("&amp;", "&"))
    assert answer.status_code == 200, "the vote made while the results were made is lost"
    assert "1 person voted" in html(answer)
