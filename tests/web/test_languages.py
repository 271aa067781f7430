"""Which language a page is in: the member's setting, else the footer's cookie, else the
browser's Accept-Language, else DEFAULT_LANGUAGE; and what <html> says about it.

Each case has every source below the one that should win present and naming the other
language, so a wrong order shows as the wrong language."""

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import render_template_string

from tests.support.auth import login_data
from tests.support.members import new_member
from tests.support.other_apps import app_like, settings_of
from webapp import create_app
from webapp.operations.bench import QUERY_COUNT_HEADER
from webapp.web.languages import LANGUAGE_COOKIE, in_language, missing_catalogues

ROOT = Path(__file__).resolve().parents[2]
OTHER = {"en": "es", "es": "en"}
# The header's first link, as each language says it.
GROUPS_LINK = {"en": ">Groups</a>", "es": ">Grupos</a>"}

pytestmark = pytest.mark.postgres


def html_lang(response):
    return re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.get_data(as_text=True))


def page_language(client, accept_language=None, url="/"):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    tag, direction = html_lang(response).groups()
    assert direction == "ltr"
    # The words follow the lang attribute: the catalogue was found and used.
    assert GROUPS_LINK[tag] in response.get_data(as_text=True)
    return tag


@pytest.fixture
def default_language(app, monkeypatch):
    def set_default(code):
        monkeypatch.setitem(app.config, "DEFAULT_LANGUAGE", code)

    return set_default


def log_in(client, app, language):
    member = new_member(app, language=language)
    assert client.submit("/login", login_data(member.email)).status_code == 303
    return member


@pytest.mark.parametrize("winner", ["es", "en"])
def test_the_setting_beats_the_cookie_the_browser_and_the_default(
    app, client, default_language, winner
):
    other = OTHER[winner]
    log_in(client, app, winner)
    client.set_cookie(LANGUAGE_COOKIE, other)
    default_language(other)
    assert page_language(client, accept_language=f"{other},{winner};q=0.5") == winner


@pytest.mark.parametrize("winner", ["es", "en"])
@pytest.mark.parametrize("who", ["visitor", "member without a setting"])
def test_the_cookie_beats_the_browser_and_the_default(app, client, default_language, winner, who):
    other = OTHER[winner]
    if who != "visitor":
        log_in(client, app, None)
    client.set_cookie(LANGUAGE_COOKIE, winner)
    default_language(other)
    assert page_language(client, accept_language=other) == winner


@pytest.mark.parametrize("winner", ["es", "en"])
def test_the_browser_beats_the_default(app, client, default_language, winner):
    default_language(OTHER[winner])
    # A regional variant finds its language; a language Hearth lacks is passed over.
    accept = {"es": "fr-FR,es-MX;q=0.8", "en": "de,en-GB;q=0.7"}[winner]
    assert page_language(client, accept_language=accept) == winner


@pytest.mark.parametrize("default", ["es", "en"])
def test_the_default_when_nothing_else_names_a_known_language(
    app, client, default_language, default
):
    default_language(default)
    client.set_cookie(LANGUAGE_COOKIE, "xx")
    assert page_language(client, accept_language="fr,de;q=0.5") == default
    assert page_language(client) == default


def test_error_pages_carry_the_language_too(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert html_lang(response).groups() == ("es", "ltr")
    assert GROUPS_LINK["es"] in response.get_data(as_text=True)


def test_choosing_asks_the_database_nothing(app, monkeypatch):
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        counts = {}
        for name, language, cookie, accept in [
            ("setting", "es", None, None),
            ("cookie", None, "es", None),
            ("browser", None, None, "es"),
        ]:
            client = counting_app.test_client()
            member = new_member(counting_app, language=language)
            assert client.submit("/login", login_data(member.email)).status_code == 303
            client.get("/")  # the welcome message, shown once
            if cookie:
                client.set_cookie(LANGUAGE_COOKIE, cookie)
            response = client.get("/", headers={"Accept-Language": accept or "en"})
            assert html_lang(response).group(1) == "es", name
            counts[name] = int(response.headers[QUERY_COUNT_HEADER])
    assert counts["setting"] == counts["cookie"] == counts["browser"], counts


def test_an_unknown_default_language_stops_the_app(app):
    with pytest.raises(RuntimeError, match="DEFAULT_LANGUAGE must be one of en, es, not 'xx'"):
        create_app(settings_of(app, DEFAULT_LANGUAGE="xx"))


def test_a_missing_compiled_catalogue_is_named_in_the_log(app, tmp_path, caplog):
    assert missing_catalogues(app) == []
    with app_like(app, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path)):
        pass
    missing = tmp_path / "es" / "LC_MESSAGES" / "messages.mo"
    logged = [r for r in caplog.records if r.name == "hearth.languages"]
    assert [r.levelname for r in logged] == ["ERROR"]
    assert str(missing) in logged[0].getMessage()
    assert "make translations" in logged[0].getMessage()


@pytest.mark.parametrize("target", ["run", "test"])
def test_make_builds_the_compiled_catalogues_before_it_runs_or_tests(target):
    # make -n prints what it would run and runs nothing; -W makes the .po look newer than
    # its .mo, as after a change to the translations (or on a fresh checkout, with none).
    planned = subprocess.run(
        ["make", "-n", "-W", "translations/es/LC_MESSAGES/messages.po", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "pybabel compile" in planned
    assert "translations/es/LC_MESSAGES/messages.mo" in planned


def test_the_image_compiles_the_catalogues_from_the_committed_sources():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = dockerfile.index("\nCOPY . .")
    assert dockerfile.index("RUN pybabel compile --directory translations") > copied
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "!translations" in ignored and "**/*.mo" in ignored
    assert "translations/*/LC_MESSAGES/*.mo" in (ROOT / ".gitignore").read_text().split()


def test_dates_numbers_and_lists_follow_the_language_and_the_zone(app):
    moment = datetime(2031, 5, 1, 16, 0, tzinfo=UTC)
    template = (
        '{{ moment|datetimeformat("EEE d MMM y, HH:mm") }} · {{ 12345.5|decimalformat }}'
        ' · {{ ["a", "b", "c"]|listformat }}'
    )
    with app.test_request_context():
        with in_language("es", time_zone="Europe/Madrid"):
            spanish = render_template_string(template, moment=moment)
        with in_language("en", time_zone="America/New_York"):
            english = render_template_string(template, moment=moment)
        # Back to the request's own afterwards.
        assert render_template_string(template, moment=moment).startswith("Thu 1 May 2031, 16:00")
    assert spanish == "jue 1 may 2031, 18:00 · 12.345,5 · a, b y c"
    assert english == "Thu 1 May 2031, 12:00 · 12,345.5 · a, b, and c"


def test_a_run_on_its_own_compiles_a_missing_or_stale_catalogue(tmp_path):
    from tests.support.catalogues import compile_stale_catalogues

    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    (folder / "messages.po").write_bytes(source.read_bytes())
    compile_stale_catalogues(tmp_path)
    compiled = folder / "messages.mo"
    assert compiled.read_bytes()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
    made = compiled.stat().st_mtime_ns
    compile_stale_catalogues(tmp_path)
    assert compiled.stat().st_mtime_ns == made
    # Written whole through a temporary file, which is gone.
    assert sorted(path.name for path in folder.iterdir()) == ["messages.mo", "messages.po"]


NOT_HEARTHS_HEADINGS = {
    "en": ["No answer", "Too large", "Not done"],
    "es": ["Sin respuesta", "Demasiado grande", "No se ha hecho"],
}


@pytest.mark.parametrize("reloading", [False, True], ids=["kept", "reloading"])
def test_the_messages_for_what_hearth_did_not_answer_follow_each_pages_language(
    app, client, monkeypatch, reloading
):
    """They are rendered once per language and kept (webapp/web/templating.py): a page in
    another language after them never gets the first language's."""
    monkeypatch.setattr(app.jinja_env, "auto_reload", reloading)
    for language in ("es", "en", "es", "en"):
        page = client.get("/login", headers={"Accept-Language": language})
        html = page.get_data(as_text=True)
        templates = re.findall(r'<template id="([a-z-]+)">(.*?)</template>', html, re.S)
        assert [kind for kind, _ in templates] == ["no-answer", "too-large", "turned-away"]
        headings = [re.search(r"<h1>([^<]+)</h1>", inside).group(1) for _, inside in templates]
        assert headings == NOT_HEARTHS_HEADINGS[language]
