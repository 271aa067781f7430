"""Requests sent at the same moment, each from a thread of its own (with its own app context
and database session): for the tests of what the database and the locks keep true."""

import threading

from tests.support.auth import login_data


def logged_in_clients(app, emails):
    """A client per address, each logged in as it."""
    clients = []
    for email in emails:
        client = app.test_client()
        assert client.submit("/login", login_data(email)).status_code == 303
        clients.append(client)
    return clients


def tabs_of(app, email, count):
    """count clients sharing one login, as tabs of one browser do."""
    first = app.test_client()
    assert first.submit("/login", login_data(email)).status_code == 303
    tabs = [first]
    for _ in range(count - 1):
        tab = app.test_client()
        tab.set_cookie("hearth_session", first.get_cookie("hearth_session").value)
        tabs.append(tab)
    return tabs


def post_at_once(clients, url, data):
    """POST to url from each client in its own thread, released together; the statuses in
    the clients' order. data: the form for all, or a function of the client's index."""
    form_of = data if callable(data) else lambda index: data
    return send_at_once([(client, url, form_of(i)) for i, client in enumerate(clients)])


def send_at_once(posts):
    """Each (client, url, form) POSTed from a thread of its own, released together; the
    statuses in the posts' order: different requests racing (a guest's confirmation and
    a member's answer, say)."""
    tokens = [client.csrf_token() for client, _url, _form in posts]
    barrier = threading.Barrier(len(posts))
    statuses = [None] * len(posts)

    def send(index):
        client, url, form = posts[index]
        barrier.wait()
        response = client.post(url, data=form, headers={"X-CSRFToken": tokens[index]})
        statuses[index] = response.status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses
