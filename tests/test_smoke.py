def test_home(client):
    assert client.get("/").status_code == 200


def test_signup_and_verify(client, mailbox):
    r = client.submit("/signup", {"email": "New@Example.org", "first_name": "Ann", "last_name": "Lee",
                                  "password": "Hearth-Kettle-42!", "confirm": "Hearth-Kettle-42!"})
    assert r.status_code == 303, r.get_data(as_text=True)
    link = mailbox.link("New@example.org")
    r = client.get(link)
    assert r.status_code == 200
    r = client.submit(link)
    assert r.status_code == 303
    r = client.submit("/login", {"email": "new@example.org", "password": "Hearth-Kettle-42!"})
    assert r.status_code == 303, r.get_data(as_text=True)
    assert "Welcome, Ann" in client.get("/").get_data(as_text=True)
