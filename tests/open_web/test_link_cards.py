"""The picture a pasted link to a public page shows: its own card, drawn from its words,
through HTTP as a visitor. An event's, a series', a group's and the events list's page
name theirs (og:image with its size and its words as alt, a large Twitter card, the
JSON-LD's image); the card is a 1200x630 PNG, answered 304 for one statement while
nothing it shows changed and drawn again when something did (an RSVP is not such a
change). What the open web does not show (a private group's event, a draft, a deleted
event, an unpublished series) has no card, and its page keeps the site's icon, as does a
page whose words the card's font cannot write. Drawn words stay inside the card's
margins however long they are."""

import io
import re
from html import unescape

import pytest
from PIL import Image

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.series.factories import make_series
from tests.events.support import event_data
from tests.groups.factories import add_member, make_group, settings_form
from tests.polls.support import logged_in
from tests.support.other_apps import app_like
from webapp.events.models import EventStatus
from webapp.extensions import db
from webapp.operations.bench import QUERY_COUNT_HEADER
from webapp.web.link_cards import BACKGROUND, HEIGHT, MARGIN, WIDTH, can_draw, draw_card, drawable

ICON = re.compile(r"^http\S*/static/img/icon-512(\.[0-9a-f]+)?\.png$")


@pytest.fixture
def town(app):
    """Paths and ids of the public group Walkers' events (one online, one cancelled, a
    draft, a deleted one, one titled in Japanese), a series, and the private group
    Quiet's event, each made among the others so no id matches by chance."""
    with app.app_context():
        olu = make_user(email="olu@example.org")
        quiet = make_group(olu, name="Quiet", slug="quiet", visibility="private")
        walkers = make_group(olu, name="Walkers", slug="walkers", description="We walk on Sundays.")
        add_member(walkers, make_user(email="mia@example.org"))
        hidden = make_event(quiet, title="Quiet walk")
        draft = make_event(walkers, title="Moon walk", status=EventStatus.DRAFT)
        walk = make_event(walkers, title="Canal walk 🎉", venue="The old lock", time_zone="UTC")
        online = make_event(
            walkers, title="Map night", online_url="https://call.example.org/secret-room"
        )
        gone = make_event(walkers, title="Called off", status=EventStatus.CANCELLED)
        deleted = make_event(walkers, title="Lost walk")
        japanese = make_event(walkers, title="夜の散歩")
        series = make_series(olu, group=walkers, title="Choir practice")
        unpublished = make_series(olu, group=walkers, title="Secret choir", published=False)
        deleted.deleted_at = deleted.created_at
        db.session.commit()
        ids = {
            name: event.id
            for name, event in (
                ("hidden", hidden),
                ("draft", draft),
                ("walk", walk),
                ("online", online),
                ("gone", gone),
                ("deleted", deleted),
                ("japanese", japanese),
            )
        }
        return ids | {"series": series.series_id, "unpublished": unpublished.series_id}


def meta(page, name):
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', page)
    assert found, f"no {name}"
    return unescape(found.group(1))


def path_of(url):
    return "/" + url.split("/", 3)[3]


def card(client, url, **headers):
    response = client.get(path_of(url), headers=headers)
    assert response.status_code == 200, url
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in response.headers
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)
    return response


def test_a_public_events_page_names_its_card(app, client, town):
    page = client.get(f"/events/{town['walk']}", follow_redirects=True).get_data(as_text=True)
    image = meta(page, "og:image")
    assert image.endswith(f"/events/{town['walk']}/card.png")
    assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
    assert meta(page, "og:image:type") == "image/png"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == image
    alt = meta(page, "og:image:alt")
    assert alt.startswith("Canal walk 🎉 · ") and alt.endswith(" · The old lock · Walkers")
    assert meta(page, "twitter:image:alt") == alt
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert f'"image": ["{image}"]' in ld or f'"image":["{image}"]' in ld
    card(client, image)


def test_the_card_says_cancelled_and_never_the_online_link(client, town):
    online = client.get(f"/events/{town['online']}", follow_redirects=True).get_data(as_text=True)
    assert meta(online, "og:image:alt").endswith(" · Online · Walkers")
    assert "secret-room" not in meta(online, "og:image:alt")
    gone = client.get(f"/events/{town['gone']}", follow_redirects=True).get_data(as_text=True)
    assert meta(gone, "og:image:alt").startswith("Called off · Cancelled · ")
    card(client, meta(gone, "og:image"))


def test_a_series_and_a_group_name_their_cards(client, town):
    series = client.get(f"/series/{town['series']}", follow_redirects=True).get_data(as_text=True)
    image = meta(series, "og:image")
    assert image.endswith(f"/series/{town['series']}/card.png")
    alt = meta(series, "og:image:alt")
    assert alt.startswith("Choir practice · Repeats every ")
    assert alt.endswith(" · The Lantern · Walkers")
    card(client, image)

    group = client.get("/groups/walkers").get_data(as_text=True)
    image = meta(group, "og:image")
    assert image.endswith("/groups/walkers/card.png")
    assert meta(group, "og:image:alt") == "Walkers · We walk on Sundays. · A group on Hearth"
    card(client, image)


def test_the_events_list_names_the_sites_card(client, town):
    page = client.get("/events").get_data(as_text=True)
    image = meta(page, "og:image")
    assert image.endswith("/events/card.png")
    alt = meta(page, "og:image:alt")
    assert alt.startswith("Events · Coming events of the groups on Hearth")
    card(client, image)


def test_what_the_open_web_does_not_show_has_no_card(app, client, town):
    for path in (
        f"/events/{town[name]}/card.png" for name in ("hidden", "draft", "deleted", "japanese")
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/series/{town['unpublished']}/card.png").status_code == 404
    assert client.get("/groups/quiet/card.png").status_code == 404
    assert client.get("/groups/nowhere/card.png").status_code == 404
    # Their pages, for those who may see them, keep the site's icon.
    olu = logged_in(app, "olu@example.org")
    for path in (f"/events/{town['hidden']}", f"/events/{town['draft']}", "/groups/quiet"):
        page = olu.get(path, follow_redirects=True).get_data(as_text=True)
        assert ICON.match(meta(page, "og:image")), path
        assert meta(page, "twitter:card") == "summary"
    # A title the font cannot write (a letter it lacks would be a box).
    page = client.get(f"/events/{town['japanese']}", follow_redirects=True).get_data(as_text=True)
    assert ICON.match(meta(page, "og:image"))


def test_an_unchanged_card_answers_304_for_one_statement(app, monkeypatch, town):
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    paths = (
        f"/events/{town['walk']}/card.png",
        f"/series/{town['series']}/card.png",
        "/groups/walkers/card.png",
    )
    with app_like(app) as counting_app:
        client = counting_app.test_client()
        for path in paths:
            first = client.get(path)
            etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
            for headers in ({"If-None-Match": etag}, {"If-Modified-Since": last_modified}):
                response = client.get(path, headers=headers)
                assert response.status_code == 304, (path, headers)
                assert response.headers[QUERY_COUNT_HEADER] == "1", (path, headers)
            fresh = counting_app.test_client().get(path)
            assert fresh.data == first.data and fresh.headers[QUERY_COUNT_HEADER] == "1"


def test_a_change_the_card_shows_draws_it_again_and_an_answer_does_not(app, client, town):
    path = f"/events/{town['walk']}/card.png"
    before = card(client, f"http://x{path}")
    mia = logged_in(app, "mia@example.org")
    assert mia.submit(f"/events/{town['walk']}/rsvp", {"answer": "going"}).status_code == 303
    assert client.get(path, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304

    olu = logged_in(app, "olu@example.org")
    edited = olu.submit(f"/events/{town['walk']}/manage/edit", event_data(title="Lock walk"))
    assert edited.status_code == 303
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.data != before.data
    page = client.get(f"/events/{town['walk']}", follow_redirects=True).get_data(as_text=True)
    assert meta(page, "og:image:alt").startswith("Lock walk · ")
    assert after.data == draw_card(*_words_of(meta(page, "og:image:alt")))


def _words_of(alt):
    title, when, where, group = alt.split(" · ")
    return title, [when, where], group


def test_a_card_is_drawn_in_the_readers_language(client, town):
    path = f"/events/{town['walk']}/card.png"
    english = client.get(path, headers={"Accept-Language": "en"})
    spanish = client.get(path, headers={"Accept-Language": "es"})
    assert english.data != spanish.data
    assert english.headers["ETag"] != spanish.headers["ETag"]
    assert "Accept-Language" in spanish.headers["Vary"]


def test_an_old_group_address_moves_to_its_card(app, client, town):
    olu = logged_in(app, "olu@example.org")
    settings = settings_form("Walkers", "sunday-walkers")
    assert olu.submit("/groups/walkers/manage/settings", settings).status_code == 303
    moved = client.get("/groups/walkers/card.png")
    assert moved.status_code == 301 and moved.location.endswith("/groups/sunday-walkers/card.png")


def test_which_words_the_font_can_write():
    assert can_draw("Paseo nocturno", "Ночная прогулка", "הליכת לילה", "نزهة ليلية")
    assert not can_draw("Walk", "夜の散歩")
    # Pictures the font lacks are left out; the words stay.
    assert can_draw("Party 🎉🏳️‍🌈")
    assert drawable("  Party 🎉 at  noon ") == "Party at noon"


@pytest.mark.parametrize(
    "title",
    ["W" * 300, " ".join(["Wandering"] * 40), "הליכה " * 40],
    ids=["one long word", "many words", "right to left"],
)
def test_words_stay_inside_the_margins(title):
    drawn = draw_card(title, ["M" * 200, "Every " * 60], "Group " * 40)
    with Image.open(io.BytesIO(drawn)) as image:
        pixels = image.convert("RGB")
        background = tuple(int(BACKGROUND[i : i + 2], 16) for i in (1, 3, 5))
        inside = MARGIN - 4
        for x in (*range(0, inside, 4), *range(WIDTH - inside, WIDTH, 4)):
            for y in range(MARGIN + 80, HEIGHT, 6):
                assert pixels.getpixel((x, y)) == background, (x, y)
        for y in range(HEIGHT - inside, HEIGHT, 3):
            for x in range(0, WIDTH, 6):
                assert pixels.getpixel((x, y)) == background, (x, y)
