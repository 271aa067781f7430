"""Answering without an account tells nobody who has one, and its limits see through an
address's spellings: the request does the same work whatever the address (it reads the
event and queues a job naming the address; the job looks it up), and the per-address
limit counts one mailbox however it is written."""

from tests.auth.test_protections import assert_too_many
from tests.events.guest_answers.support import build_picnic
from tests.test_abuse_addresses import SPELLINGS, TARGET
from tests.test_abuse_enumeration import work_done

FORM = {"name": "Vic", "answer": "going", "guests": "0"}


def test_a_member_a_guest_and_a_stranger_cost_the_request_the_same(app, client, mailbox):
    picnic = build_picnic(app)
    url = f"/events/{picnic.event_id}/as-guest"
    # Gus becomes a guest (his row exists, with an answer's link waiting).
    assert client.submit(url, {**FORM, "email": "gus@example.org"}).status_code == 303
    mailbox.messages()

    member = work_done(app, url, "amy@example.org", FORM)
    guest = work_done(app, url, "gus@example.org", FORM)
    stranger = work_done(app, url, "new@example.org", FORM)
    assert member == guest == stranger
    status, _location, statements, queued = stranger
    assert status == 303 and queued == 1
    # The event is read; no person is.
    assert not any("FROM users" in statement for statement in statements)


def test_answers_naming_one_mailbox_share_one_limit_however_spelled(app, monkeypatch, mailbox):
    picnic = build_picnic(app)
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "2 per minute")
    url = f"/events/{picnic.event_id}/as-guest"
    responses = [
        app.test_client().submit(
            url, {**FORM, "email": spelling}, environ_base={"REMOTE_ADDR": f"10.0.3.{n}"}
        )
        for n, spelling in enumerate([TARGET, *SPELLINGS])
    ]
    assert all(r.status_code != 429 for r in responses[:2])
    for refused in responses[2:]:
        assert_too_many(refused)
    assert len([m for m in mailbox.messages() if "target" in m["To"].lower()]) <= 2
