"""Organisers choose which websites may show their group's embedded list, on the group's
settings page, where they copy the code to paste: any website, or those listed (each
address written as the browser names a site); bad input comes back 422 beside its field,
saving nothing; the list's policy follows the choice."""

import html

import pytest

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.open_web.embedding import website_origin

SETTINGS = "/groups/walkers/manage/settings"
EMBEDDING = "/groups/walkers/manage/embedding"


@pytest.fixture
def walkers(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        group = make_group(olu, name="Walkers", slug="walkers")
        add_member(group, make_user(email="org@example.org"), role="organiser")
        add_member(group, make_user(email="mia@example.org"))
        make_group(olu, name="Quiet club", slug="quiet-club", visibility="private")
        db.session.commit()


def stored(app):
    with app.app_context():
        group = db.session.scalar(db.select(Group).where(Group.slug == "walkers"))
        return group.embed_anywhere, group.embed_sites


def test_the_settings_page_gives_the_code_to_paste(app, walkers):
    page = logged_in(app, "org@example.org").get(SETTINGS).data.decode()
    assert '<label for="embed-snippet">' in page
    assert "&lt;iframe src=&#34;http://localhost/groups/walkers/embed&#34;" in page or (
        "&lt;iframe src=&quot;http://localhost/groups/walkers/embed&quot;" in page
    )
    # A private group's events cannot be shown elsewhere: no code to paste.
    private = logged_in(app, "olu@example.org").get("/groups/quiet-club/manage/settings")
    assert "embed-snippet" not in private.data.decode()


def test_listed_websites_alone_may_frame_the_list(app, client, walkers):
    organiser = logged_in(app, "org@example.org")
    answer = organiser.submit(
        EMBEDDING,
        {
            "embed-framed_by": "listed",
            "embed-sites": " https://Example.org/ \nhttp://club.example.net:8080\n\nhttps://bücher.example\n"
            "https://example.org",
        },
    )
    assert answer.status_code == 303
    assert answer.location.endswith(SETTINGS)
    sites = "https://example.org\nhttp://club.example.net:8080\nhttps://xn--bcher-kva.example"
    assert stored(app) == (False, sites)
    policy = client.get("/groups/walkers/embed").headers["Content-Security-Policy"]
    assert policy.endswith(
        "frame-ancestors https://example.org http://club.example.net:8080 https://xn--bcher-kva.example"
    )
    assert "X-Frame-Options" not in client.get("/groups/walkers/embed").headers
    # Back to any website.
    organiser.submit(EMBEDDING, {"embed-framed_by": "anyone", "embed-sites": ""})
    assert stored(app) == (True, "")


@pytest.mark.parametrize(
    ("sites", "message"),
    [
        ("example.org", "is not a website's address"),
        ("https://example.org/page", "is not a website's address"),
        ("javascript:alert(1)", "is not a website's address"),
        ("https://example.org; script-src *", "is not a website's address"),
        ("https://user:pw@example.org", "is not a website's address"),
        ("https://example.org:99999", "is not a website's address"),
        ("", "Name at least one website"),
        ("\n".join(f"https://site{n}.example" for n in range(21)), "At most 20 websites"),
    ],
)
def test_bad_websites_are_refused_beside_the_field(app, walkers, sites, message):
    organiser = logged_in(app, "org@example.org")
    for htmx in (False, True):
        answer = organiser.submit(
            EMBEDDING, {"embed-framed_by": "listed", "embed-sites": sites}, htmx=htmx
        )
        assert answer.status_code == 422
        page = answer.data.decode().replace("&#39;", "'")
        assert 'id="embed-sites-error"' in page and message in page
        # What was typed stays in the field.
        assert html.escape(sites.split("\n")[0], quote=False)[:20] in page
    assert stored(app) == (True, "")


def test_a_member_cannot_choose_and_a_private_group_has_nothing_to_choose(app, walkers):
    member = logged_in(app, "mia@example.org")
    assert member.submit(EMBEDDING, {"embed-framed_by": "anyone"}).status_code == 403
    owner = logged_in(app, "olu@example.org")
    refused = owner.submit("/groups/quiet-club/manage/embedding", {"embed-framed_by": "anyone"})
    assert refused.status_code == 404


@pytest.mark.parametrize(
    ("typed", "origin"),
    [
        ("https://example.org", "https://example.org"),
        ("HTTPS://WWW.Example.org/", "https://www.example.org"),
        ("https://*.example.org", "https://*.example.org"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("ftp://example.org", None),
        ("https://", None),
        ("https://exa mple.org", None),
        ("https://example.org?x=1", None),
        ("https://example.org#top", None),
        ("https://-bad-.org", None),
    ],
)
def test_a_website_is_named_by_its_scheme_host_and_port(typed, origin):
    assert website_origin(typed) == origin
