"""Every htmx form works on its own page, with JavaScript and without.

The crawl (tests/support/fuzz.py's world and routes) visits every page as the co-host of
the world's event, the group's owner, a member, a site admin and a visitor, and finds
each form that carries hx-* attributes (a member's "Leave the group" is not the owner's).
Each is submitted once, by the first of them offered it, from its own page
(the page whose address is nearest the form's action: the "Add a session" page for the
new session's form, the event page for its RSVP buttons), in Chromium with JavaScript on
and in a context with JavaScript off, each time in the world as built (built again after
any submission that wrote to it). A submission must
raise no console error and no uncaught exception (an htmx target missing from the page is
one), and must lead somewhere visible: a new page, or the swapped content. Nor may one
submission store the same thing twice. A form htmx submits as its page opens
(hx-trigger="load", an announcement marking itself read) is, with JavaScript on,
submitted by opening its page: its answer must take its place.

The forms are found once per run (by the first test process to ask) and shared out, in
the order found, among PARTS test modules (test_htmx_forms_<n>_of_4.py), which run in
several test processes at once: one module submitting them all took minutes, near its
timeout on a busy machine.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import sqlalchemy as sa
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.conftest import Auth, KeptWorld
from tests.files.support import pdf_bytes
from tests.support import every_table
from tests.support.crawl import path
from tests.support.fuzz import EMAILS, PLAUSIBLE, FuzzWorld, get, get_routes
from tests.support.once_per_run import once_per_run
from webapp.extensions import db

# The test modules that share the forms out (check_part's parts).
PARTS = 4

NEW_PASSWORD = "Another-Password-1!"
# Values by field name; other fields get one by their type.
BY_NAME = {
    "current_password": DEFAULT_PASSWORD,
    "password": NEW_PASSWORD,
    "confirm": NEW_PASSWORD,
    "new_password": NEW_PASSWORD,
    "email": "someone.new@example.org",
    "emails": "someone.new@example.org",
    "q": "weekend",
}
BY_KIND = {"url": "https://example.org/changed", "email": "someone.new@example.org"}
WAIT_MS = 8000


class _HtmxForms(HTMLParser):
    """Every <form> of a page, in order, with its attributes."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.forms.append(dict(attrs))


def is_htmx(attrs):
    return any(name.startswith(("hx-", "data-hx-")) for name in attrs)


def submits_itself(attrs):
    """htmx submits it as soon as it is on the page: no one presses its button."""
    return "load" in re.split(r"[\s,]+", attrs.get("hx-trigger") or "")


def endpoint_of(app, url, method):
    """The endpoint that takes method on url, whatever the ids in it."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(url).path, method=method.upper())
    except Exception:  # noqa: BLE001 - no rule takes it: still a form to try, by its path
        endpoint = re.sub(r"\d+", "N", urlsplit(url).path)
    return endpoint


def form_key(app, page_url, attrs):
    """What a form is, whatever the ids in the world: (method, endpoint, target)."""
    method = "post" if attrs.get("hx-post") or attrs.get("method") == "post" else "get"
    action = attrs.get("hx-post") or attrs.get("hx-get") or attrs.get("action") or page_url
    endpoint = endpoint_of(app, action, method)
    target = re.sub(r"\d+", "N", attrs.get("hx-target") or "")
    return method, endpoint, target, urlsplit(action).path


# Who crawls, in order: a form several are offered is submitted by the first. The event's
# co-host first: the event's forms as they work for them (the owner then submits what is
# the group's organisers' alone).
ROLES = ("cohost", "owner", "member", "admin", "visitor")


@dataclass
class Found:
    """An htmx form, who submits it and the page to submit it from, as a recipe for any
    world."""

    key: tuple
    role: str
    rule: object  # the page's rule, or None for one of the world's extra pages
    extra: int | None
    by_itself: bool = False  # htmx submits it as the page opens (submits_itself)

    def page_url(self, world):
        return path(self.rule, world) if self.rule is not None else world.extra_pages[self.extra]


def nearness(page_url, action_path):
    """How much of the form's action the page's address shares (more is nearer)."""
    page = urlsplit(page_url).path.rstrip("/").split("/")
    action = action_path.rstrip("/").split("/")
    shared = 0
    for mine, theirs in zip(page, action, strict=False):
        if mine != theirs:
            break
        shared += 1
    return (shared, -len(page))


def discover(app, world):
    """Each htmx form anyone is offered anywhere: who first, then the page nearest its
    action."""
    pages = [(rule, None) for rule in get_routes(app)]
    pages += [(None, index) for index in range(len(world.extra_pages))]
    best = {}
    for role in ROLES:
        client = app.test_client()
        if role != "visitor":
            assert Auth(client).login(EMAILS[role]).status_code == 303
        for rule, extra in pages:
            url = path(rule, world) if rule is not None else world.extra_pages[extra]
            response = get(client, url)
            if response.status_code != 200 or "html" not in (response.content_type or ""):
                continue
            parser = _HtmxForms()
            parser.feed(response.get_data(as_text=True))
            for attrs in filter(is_htmx, parser.forms):
                method, endpoint, target, action_path = form_key(app, url, attrs)
                key = (method, endpoint, target)
                rank = (-ROLES.index(role), nearness(url, action_path))
                if key not in best or rank > best[key][0]:
                    best[key] = (rank, Found(key, role, rule, extra, submits_itself(attrs)))
    found = [found for _, found in best.values()]
    return sorted(found, key=lambda form: (ROLES.index(form.role), form.key))


def rows_by_key(app):
    """{table: {primary key: the rest of the row, times and secrets left out}}."""
    rows = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            keys = [column for column in table.columns if column.primary_key]
            kept = [
                column
                for column in table.columns
                if not column.primary_key
                and not isinstance(column.type, sa.DateTime)
                and not re.search(r"token|hash|key|version|_at$", column.name)
            ]
            if not keys or not kept:
                continue
            statement = sa.select(*keys, *kept)
            rows[table.name] = {
                tuple(row[: len(keys)]): tuple(row[len(keys) :])
                for row in db.session.execute(statement)
            }
        db.session.remove()
    return rows


def duplicates(before, after):
    """Rows one submission added twice: the same in all but their key and times."""
    found = []
    for table, rows in after.items():
        added = [repr(rest) for key, rest in rows.items() if key not in before.get(table, {})]
        if len(added) != len(set(added)):
            found.append(table)
    return found


# The fields the browser would not send as filled in, with its reasons ("" when none).
REFUSED_BY_THE_BROWSER = """form => [...form.elements]
    .filter(field => field.willValidate && !field.checkValidity())
    .map(field => field.name + ": " + field.validationMessage).join("; ")"""

# JavaScript on: mark this document, and note when htmx has swapped or given up on the
# request to the form's own path (a poll elsewhere on the page answering 204 "nothing new"
# is not the form's answer).
WATCH = """path => {
    window.hearthSameDocument = true;
    window.hearthDone = "";
    const ours = event => !path || (event.detail.requestConfig || {}).path === path;
    document.addEventListener("htmx:afterSettle", event => {
        if (ours(event)) window.hearthDone = "swapped";
    });
    document.addEventListener("htmx:afterRequest", event => {
        if (!ours(event)) return;
        if (!event.detail.successful) window.hearthDone = "failed";
        else if (event.detail.xhr && event.detail.xhr.status === 204) window.hearthDone = "204";
    });
}"""


def fill(page, form):
    """Fill the form as a person would: every empty field with something it takes, times
    within the bounds the form gives, a small PDF for a file field, a choice where one
    must be made."""
    must_choose = form.locator("input[type=radio][required]")
    for index in range(must_choose.count()):
        radio = must_choose.nth(index)
        group = form.locator(f'input[type=radio][name="{radio.get_attribute("name")}"]')
        if not any(group.nth(i).is_checked() for i in range(group.count())):
            group.last.check()
    fields = form.locator("input, textarea")
    for index in range(fields.count()):
        field = fields.nth(index)
        kind = (field.get_attribute("type") or "text").lower()
        name = field.get_attribute("name") or ""
        if kind in ("hidden", "submit", "button", "checkbox", "radio", "search") and name != "q":
            continue
        if not field.is_visible() and kind != "file":
            continue
        if kind == "file":
            field.set_input_files(
                files=[{"name": "notes.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
            )
            continue
        if field.input_value():
            continue
        value = BY_NAME.get(name.rsplit("-", 1)[-1]) or BY_KIND.get(kind)
        if kind == "datetime-local":
            bound = field.get_attribute("max" if "end" in name else "min")
            value = bound or PLAUSIBLE[kind]
        value = value or PLAUSIBLE.get(kind) or "Changed"
        field.fill(value)


def outcome_of(page):
    """ "navigated", "swapped", "failed" (shown as htmx shows errors) or "204"; None when
    nothing came of the click."""
    try:
        handle = page.wait_for_function(
            """() => window.hearthSameDocument === undefined ? "navigated" : window.hearthDone""",
            timeout=WAIT_MS,
        )
        return handle.json_value()
    except Exception as error:  # noqa: BLE001 - a timeout is the finding; a navigation is not
        return None if "Timeout" in type(error).__name__ else "navigated"


def open_around(form):
    """Open the closed <details> the form is in, as a person would: by its summary."""
    around = form.locator("xpath=ancestor::details")
    for index in range(around.count()):
        details = around.nth(index)
        if details.get_attribute("open") is None:
            details.locator("xpath=./summary").click()


def submit_button(form):
    return form.locator("button[type=submit], button:not([type]), input[type=submit]").first


class Worlds:
    """A world for each submission that may change it, and the owner logged in to it in
    a browser context with JavaScript and one without (by the session cookie a login
    through the test client made: faster than a login page per world)."""

    def __init__(self, app, browser, live_server):
        self.app = app
        self.live_server = live_server
        self.errors = []
        self.contexts, self.pages = {}, {}
        for javascript in (True, False):
            context = browser.new_context(base_url=live_server, java_script_enabled=javascript)
            context.on("weberror", lambda error: self.errors.append(str(error.error)))
            context.on("console", self._keep)
            self.contexts[javascript] = context
            page = self.pages[javascript] = context.new_page()
            # hx-confirm asks with the browser's own dialog: a person says yes.
            page.on("dialog", lambda dialog: dialog.accept())
        self.world = self.role = None
        self.as_built = KeptWorld(FuzzWorld)

    def _keep(self, message):
        if message.type == "error" and not is_expected(message.text):
            self.errors.append(message.text)

    def fresh(self, role):
        """The world as built, and role's session in both contexts."""
        unchanged = self.world is not None and every_table.fingerprint(self.app) == self.fingerprint
        if unchanged and role == self.role:
            return self.world
        if not unchanged:
            self.world = self.as_built.put_back(self.app)
        self.role = role
        for context in self.contexts.values():
            context.clear_cookies()
        if role != "visitor":
            client = self.app.test_client()
            assert Auth(client).login(EMAILS[role]).status_code == 303
            cookie = client.get_cookie(self.app.config["SESSION_COOKIE_NAME"])
            for context in self.contexts.values():
                context.add_cookies(
                    [{"name": cookie.key, "value": cookie.value, "url": self.live_server}]
                )
        # Taken after the login: its session row is part of the world as built.
        self.fingerprint = every_table.fingerprint(self.app)
        return self.world

    def close(self):
        for context in self.contexts.values():
            context.close()


def is_expected(text):
    """The app's own 4xx answers (a refused form shows its messages) are no fault."""
    return "status of 4" in text or "Response Status Error Code 4" in text


def submit(worlds, found, javascript):
    """Submit found's form from its page; the problems seen, as sentences."""
    app = worlds.app
    world = worlds.fresh(found.role)
    app.extensions["hearth_limiter"].reset()
    url = found.page_url(world)
    what = f"{found.key} from {url} as {found.role}, JavaScript {'on' if javascript else 'off'}"
    page = worlds.pages[javascript]
    errors = worlds.errors = []
    try:
        if javascript and found.by_itself:
            before = rows_by_key(app) if found.key[0] == "post" else None
            problems = open_and_let_it_submit(app, page, url, found, what)
            return problems + after_submitting(app, page, before, errors, what)
        page.goto(url)
        index = pick(app, page, url, found)
        if index is None:
            return [f"{what}: the form is not on the page"]
        form = page.locator("form").nth(index)
        open_around(form)
        fill(page, form)
        before = rows_by_key(app) if found.key[0] == "post" else None
        if invalid := form.evaluate(REFUSED_BY_THE_BROWSER):
            return [f"{what}: the browser refuses what the test typed ({invalid})"]
        problems = []
        if javascript:
            page.evaluate(WATCH, form.get_attribute(f"hx-{found.key[0]}"))
            submit_button(form).click()
            outcome = outcome_of(page)
            if outcome is None:
                problems.append(f"{what}: nothing happened on the page")
            elif outcome == "204":
                problems.append(f"{what}: the answer changed nothing on the page")
            page.wait_for_load_state()
        else:
            with page.expect_navigation(timeout=WAIT_MS) as navigation:
                submit_button(form).click()
            status = navigation.value.status if navigation.value else None
            if status is None or status >= 500:
                problems.append(f"{what}: the page after it answered {status}")
        return problems + after_submitting(app, page, before, errors, what)
    finally:
        # Nothing of this page may poll into the next submission's world.
        page.goto("about:blank")


def after_submitting(app, page, before, errors, what):
    """What every submission must leave: a page with something in it, each row stored
    once, a quiet console."""
    problems = []
    if not page.locator("main").inner_text().strip():
        problems.append(f"{what}: an empty page")
    if before is not None and (twice := duplicates(before, rows_by_key(app))):
        problems.append(f"{what}: stored twice in {twice}")
    problems += [f"{what}: console: {error}" for error in errors]
    return problems


def open_and_let_it_submit(app, page, url, found, what):
    """Open the page of a form that submits itself: htmx's request must be answered, and
    the answer take the form's place."""
    method, endpoint = found.key[:2]

    def is_its_answer(response):
        request = response.request
        return (
            request.method.lower() == method
            and request.headers.get("hx-request") == "true"
            and endpoint_of(app, response.url, method) == endpoint
        )

    try:
        with page.expect_response(is_its_answer, timeout=WAIT_MS) as answer:
            page.goto(url)
    except PlaywrightTimeoutError:
        return [f"{what}: opening the page did not submit it"]
    status = answer.value.status
    if status >= 400:
        return [f"{what}: htmx's request was answered {status}"]
    for _ in range(WAIT_MS // 100):
        if pick(app, page, url, found) is None:
            return []
        page.wait_for_timeout(100)
    return [f"{what}: the answer did not take the form's place"]


def pick(app, page, url, found):
    """The index among the page's forms of the first that is found's form, or None."""
    parser = _HtmxForms()
    parser.feed(page.content())
    for index, attrs in enumerate(parser.forms):
        if is_htmx(attrs) and form_key(app, url, attrs)[:3] == found.key:
            return index
    return None


def discover_once(app, tmp_path_factory):
    """discover's forms, crawled for by the first of the run's test processes to ask (the
    crawl visits every page as five people: each share repeating it cost as much as a
    share's submissions)."""
    routes = get_routes(app)

    def recipes():
        return [
            (
                form.key,
                form.role,
                routes.index(form.rule) if form.rule else None,
                form.extra,
                form.by_itself,
            )
            for form in discover(app, FuzzWorld(app))
        ]

    return [
        Found(tuple(key), role, routes[rule] if rule is not None else None, extra, by_itself)
        for key, role, rule, extra, by_itself in once_per_run(
            tmp_path_factory, "htmx-forms", recipes
        )
    ]


def check_part(app, browser, live_server, tmp_path_factory, part):
    """Submit the part-th of PARTS shares of the forms found (every PARTS-th, from the
    part-th), with JavaScript and without; fails with every problem seen."""
    found = discover_once(app, tmp_path_factory)
    endpoints = {form.key[1] for form in found}
    # The crawl reaches the forms this test was written for.
    assert {"events.rsvp.answer", "events.agenda.add_speaker_to", "groups.leave"} <= endpoints
    share = found[part - 1 :: PARTS]
    assert share, f"no form for part {part} of {PARTS}"
    problems = []
    worlds = Worlds(app, browser, live_server)
    try:
        for form in share:
            for javascript in (True, False):
                problems += submit(worlds, form, javascript)
    finally:
        worlds.close()
    assert not problems, "\n".join(problems)
