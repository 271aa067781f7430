"""Fuzzing the app's input: a richer crawl world, one client per role, the <form>s of a
page, and hypothesis strategies for hostile text.

The world (tests/support/crawl.py's, plus what the fuzz tests need to reach every form) has a
person for each role, an RSVP and a file to remove, an event that has ended (feedback is
for those) and a live link for every kind of emailed token, so that each route with an
id or a token in its URL reaches its view and its form.
"""

import csv
import functools
import io
import os
import re
import string
from datetime import datetime
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import urlsplit

import sqlalchemy as sa
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.accounts.factories import make_guest, make_user
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.files.support import make_file, pdf_bytes
from tests.groups.factories import add_member
from tests.polls.factories import make_poll, option_ids, slots_from_now
from tests.support.crawl import World, path, routes
from tests.tasks.factories import ended_event, going, make_task
from webapp.accounts.models import User
from webapp.accounts.tokens import issue_token, unsubscribe_token
from webapp.events.guest_answers.links import answer_token
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.outbox.models import OutboxState
from webapp.outbox.services import add_message


def examples(default):
    """How many examples each fuzzed form or route gets: bounded for CI, more when
    HEARTH_FUZZ_SCALE asks (HEARTH_FUZZ_SCALE=10 runs ten times as many, for a deeper
    search by hand)."""
    return default * int(os.environ.get("HEARTH_FUZZ_SCALE", "1"))


# Every kind of person, weakest first (tests/support/authz.py's ROLES, by email here).
ROLES = ("visitor", "outsider", "pending", "member", "cohost", "organiser", "owner", "admin")
EMAILS = {
    "outsider": "outsider@example.org",
    "pending": "asking@example.org",
    "member": "member@example.org",
    # Co-hosts the world's event, its draft and its series' first date (crawl.py's world).
    "cohost": "cohost@example.org",
    "organiser": "organiser@example.org",
    "owner": "owner@example.org",
    "admin": "admin@example.org",
    # Not a role of the tables: the person the world's invitation was sent to.
    "invited": "guest@example.org",
}


# The kind of the world's one failed email, there for the admin's outbox actions.
WORLD_FAILED_KIND = "fuzz_world_failed"


class FuzzWorld(World):
    """tests/support/crawl.py's world, with every role, an RSVP, a file, an ended event the
    member and a guest went to, tasks the member holds, a draft event (its co-host the world's),
    date polls and live tokens (an unsubscribe link's too)."""

    def __init__(self, app):
        super().__init__(app)
        with app.app_context():
            group = db.session.scalar(sa.select(Group).where(Group.slug == self.slug))
            event = db.session.get(Event, self.ids["event_id"])
            make_user(email=EMAILS["outsider"])
            make_user(email=EMAILS["admin"], is_site_admin=True)
            add_member(group, make_user(email=EMAILS["organiser"]), role="organiser")
            member = _user("member@example.org")
            going(event, member)
            self.ids["rsvp_id"] = db.session.scalar(
                sa.select(Rsvp.id).where(Rsvp.event_id == event.id, Rsvp.user_id == member.id)
            )
            owner = _user(self.owner_email)
            self.ids["file_id"] = make_file(event, owner, name="minutes.pdf", data=pdf_bytes()).id
            self.ended_event_id = ended_event(group, title="Last picnic").id
            make_user(email=EMAILS["invited"])
            self.event_slug = event.slug
            going(db.session.get(Event, self.ended_event_id), member)
            # And a guest who went to it, whose link opens their feedback's form.
            guest = make_guest("went-as-guest@example.org", first_name="Wes", verified=True)
            going(db.session.get(Event, self.ended_event_id), guest)
            self.ended_guest_token = answer_token(self.ended_event_id, guest.id)
            make_task(event, title="Bring cups", assignee=member)
            make_task(event, title="Bring plates", assignee=member, done=True)
            draft = make_event(group, title="Draft dinner", status=EventStatus.DRAFT)
            make_cohost(draft, _user(EMAILS["cohost"]), added_by=owner)
            by_group = make_poll(group, slots=slots_from_now(2))
            by_event = make_poll(group, event=event, slots=slots_from_now(2, days=20))
            # Pages no route of the crawl names with the ids above.
            self.extra_pages = [
                f"/events/{draft.id}-{draft.slug}",
                *self.series_pages,
                f"/polls/{by_group.id}/manage/slots/{option_ids(by_group)[0]}/new-event",
                f"/polls/{by_event.id}/manage/slots/{option_ids(by_event)[0]}/schedule",
            ]
            # What the admin's actions name: a person who plays no role (deactivated, they
            # must not lock a role out of the crawl after), the group, a failed email.
            self.ids["user_id"] = make_user(email="bystander@example.org").id
            self.ids["group_id"] = group.id
            failed = add_message(WORLD_FAILED_KIND, "someone@example.org", "A failed one", "text")
            db.session.flush()
            failed.state = OutboxState.FAILED
            self.ids["message_id"] = failed.id
            unverified = make_user(email="unverified@example.org", verified=False)
            self.tokens = {
                "auth.verify_email": issue_token(unverified, "verify_email"),
                "auth.reset_password": issue_token(member, "reset_password"),
                "accounts.confirm_email_change": issue_token(
                    owner, "change_email", new_email="owner.new@example.org"
                ),
                "accounts.unsubscribe": unsubscribe_token(member.id, "reminders"),
            }
            db.session.commit()

    def value(self, rule, name, converter):
        if name == "token" and rule.endpoint in self.tokens:
            return self.tokens[rule.endpoint]
        if name == "token" and rule.endpoint == "feedback.guest_feedback":
            return self.ended_guest_token
        if name == "event_id" and rule.endpoint.startswith("feedback."):
            return self.ended_event_id
        if name == "slug" and rule.endpoint == "events.detail":
            return self.event_slug
        if name == "action" and rule.endpoint == "admin.group_action":
            return "suspend"
        return super().value(rule, name, converter)


def _user(email):
    return db.session.scalar(sa.select(User).where(User.email == email))


def role_clients(app, auth_class, roles=ROLES):
    """A logged-in test client per role (the visitor's is anonymous)."""
    clients = {}
    for role in roles:
        client = app.test_client()
        if role != "visitor":
            response = auth_class(client).login(EMAILS[role])
            assert response.status_code == 303, f"{role} could not log in"
        clients[role] = client
    return clients


def get_routes(app):
    """Every GET rule, the static files aside (answered in front of the app)."""
    return [rule for rule, method in routes(app) if method == "GET" and rule.endpoint != "static"]


def get(client, url, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def crawl_pages(app, clients, world, htmx=False):
    """(role, url, response) for every GET route (and the world's extra pages) as every
    role."""
    urls = [path(rule, world) for rule in get_routes(app)] + world.extra_pages
    for role, client in clients.items():
        for url in urls:
            yield role, url, get(client, url, htmx)


# ---- Forms as a browser sees them -------------------------------------------------------


class Form:
    def __init__(self, action, attrs):
        self.action = action
        self.attrs = attrs
        self.fields = []  # (name, kind, value, options)
        self.required = set()  # the names of the fields marked required

    def add(self, name, kind, value="", options=()):
        self.fields.append([name, kind, value, list(options)])

    def names(self):
        return {name for name, *_ in self.fields}


class _FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            if method == "post":
                self._form = Form(attrs.get("action") or self.page_url, attrs)
                self.forms.append(self._form)
            return
        form = self._form
        if tag == "option" and self._select is not None:
            self._select[3].append(attrs.get("value", ""))
            if "selected" in attrs or not self._select[2]:
                self._select[2] = attrs.get("value", "")
        if form is None or "name" not in attrs or "disabled" in attrs:
            return
        name = attrs["name"]
        if "required" in attrs:
            form.required.add(name)
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                form.add(name, kind, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "image"):
                form.add(name, kind, attrs.get("value") or "")
        elif tag == "button" and attrs.get("value") is not None:
            form.add(name, "button", attrs["value"])
        elif tag == "textarea":
            self._textarea = [name, "textarea", "", []]
            form.fields.append(self._textarea)
        elif tag == "select":
            self._select = [name, "select", "", []]
            form.fields.append(self._select)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


# A form's markup, start to end (forms do not nest). The parser is pure Python: reading only
# the forms, not the whole page around them, takes a crawl that looks for forms a fraction
# of the time.
_FORM_MARKUP = re.compile(r"<form[\s>].*?</form\s*>", re.DOTALL | re.IGNORECASE)


def post_forms(html, page_url):
    """The method="post" forms of a page (their fields in order, with their values)."""
    parser = _FormParser(page_url)
    for form in _FORM_MARKUP.finditer(html):
        parser.feed(form.group())
    parser.close()
    return parser.forms


def endpoint_of(app, action):
    """The endpoint a form's action posts to, or None when no rule takes the POST."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(action).path, method="POST")
    except Exception:  # noqa: BLE001 - a 404 or 405 from the router: no such route
        return None
    return endpoint


def find_form(app, client, endpoint, url):
    """The form posting to endpoint on the page at url, as rendered now."""
    response = get(client, url)
    forms = [
        form
        for form in post_forms(response.get_data(as_text=True), url)
        if endpoint_of(app, form.action) == endpoint
    ]
    assert forms, f"no form for {endpoint} on {url} ({response.status_code})"
    return forms[0]


# ---- What a hostile person types --------------------------------------------------------

# The raw markup of these must never come back unescaped in a page.
MARKUP = (
    "<script>hearthFuzz(1)</script>",
    '"><script>hearthFuzz(2)</script>',
    "<img src=x onerror=hearthFuzz(3)>",
    "</textarea><script>hearthFuzz(4)</script>",
    "<svg/onload=hearthFuzz(5)>",
)
# What a spreadsheet runs as a formula at the start of a cell.
FORMULAS = ("=", "+", "-", "@", "\t", "\r")
NASTY = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "line\r\nbreak\rcarriage",
    "\u202eevil.exe\u202c",
    "\u200f\u200e\u2066rtl\u2069",
    "\ufeff\u200b\u00ad",
    "Zalgo Z\u0351\u0352\u0353\u0354",
    "\U0001f600\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1",
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "%s%n%x{0}{{7*7}}${7*7}",
    "../../../../etc/passwd",
    "javascript:hearthFuzz(6)",
    "-1",
    "0",
    "2147483648",
    "-2147483649",
    "9" * 40,
    "1e309",
    "NaN",
    "-0.0",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "275760-09-13T00:00",
    "1969-12-31T23:59:59.999999",
    "2030-02-30T25:61",
    "24:00",
    "someone@example.org",
    "a@b",
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "x" * 321 + "@example.org",
)
LONG = st.builds(
    lambda unit, times: unit * times,
    st.sampled_from(["x", "é", "\u202e", "<b>", "9"]),
    st.sampled_from([255, 256, 1001, 20_000]),
)
HOSTILE = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(NASTY),
    LONG,
    st.text(max_size=40),
    st.builds(
        lambda a, b: a + b, st.sampled_from(MARKUP + NASTY), st.text(string.printable, max_size=8)
    ),
)
DATETIMES = st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59))
BY_KIND = {
    "datetime-local": DATETIMES.map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    "date": DATETIMES.map(lambda d: d.strftime("%Y-%m-%d")),
    "time": DATETIMES.map(lambda d: d.strftime("%H:%M")),
    "number": st.integers(-(10**12), 10**12).map(str),
    "email": st.emails().map(str),
}


FILE_NAMES = st.one_of(st.just("notes.pdf"), HOSTILE.map(lambda text: text + ".pdf"))
# Fields no form has, which a hostile person adds.
EXTRA_NAMES = st.sampled_from(["extra", "id", "user_id", "is_site_admin"])


PLAUSIBLE = {
    "datetime-local": "2031-05-01T18:00",
    "date": "2031-05-01",
    "time": "18:00",
    "number": "3",
    "email": "fuzz@example.org",
    "password": "Another-Password-1!",
}


def field_strategy(kind, value, options):
    """What goes into one field. Mostly something the form would take (its own
    value, or for an empty field our markup as text, a date to come, a small number), so
    that one hostile field among valid ones reaches the database and the pages after it;
    otherwise hostility, or any value of the field's kind."""
    return _field_strategy(kind, value, tuple(options))


# Made once per kind of field: hypothesis validates a strategy and works out its labels
# when it is first drawn from, which for one made afresh at every draw cost more than the
# request the example was for.
@functools.cache
def _field_strategy(kind, value, options):
    plausible = value or PLAUSIBLE.get(kind) or (options[-1] if options else None)
    sane = st.just(plausible) if plausible else st.sampled_from(MARKUP)
    hostile = [HOSTILE]
    if options:
        hostile.append(st.sampled_from(options))
    if kind in BY_KIND:
        hostile.append(BY_KIND[kind])
    if kind in ("text", "textarea", "search", "password", "url"):
        hostile.append(st.text(max_size=200))
    # Three times in four: so that an example is mostly one hostile field among valid ones.
    return st.one_of(sane, sane, sane, st.one_of(*hostile))


@st.composite
def form_data(draw, form):
    """A filled-in form: every field drawn; the CSRF token kept (it is not input we parse);
    checkboxes and radios ticked or not; a file field gets a file with a hostile name."""
    data = MultiDict()
    for name, kind, value, options in form.fields:
        if name.endswith("csrf_token"):
            data.add(name, value)
        elif kind in ("checkbox", "radio"):
            if draw(st.booleans()):
                data.add(name, draw(_its_value_or_hostile(value)))
        elif kind == "file":
            data.add(name, (BytesIO(pdf_bytes()), draw(FILE_NAMES)))
        else:
            data.add(name, draw(field_strategy(kind, value, options)))
    if draw(st.booleans()):
        data.add(draw(EXTRA_NAMES), draw(HOSTILE))
    return data


@functools.cache
def _its_value_or_hostile(value):
    return st.one_of(st.just(value), HOSTILE)


def markup_data(form, payload):
    """The form as a person would fill it in, with payload in every text field: the
    first thing to try on a form, before any random example."""
    data = MultiDict()
    for name, kind, value, options in form.fields:
        if kind in ("text", "textarea", "search") and not name.endswith("csrf_token"):
            data.add(name, payload)
        elif kind == "file":
            data.add(name, (BytesIO(pdf_bytes()), payload + ".pdf"))
        else:
            plausible = value or PLAUSIBLE.get(kind) or (options[-1] if options else "")
            data.add(name, plausible)
    return data


def raw_markup_in(html):
    """Our markup payloads that came back unescaped (an XSS if found)."""
    return [payload for payload in MARKUP if payload in html]


def unsafe_output(response):
    """What in an answer would run: our markup unescaped in HTML (a CSV or a calendar
    file is not a page, nor an image), or a CSV cell a spreadsheet takes for a formula."""
    kind = response.content_type or ""
    if "csv" in kind:
        body = response.get_data(as_text=True)
        cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
        return [f"formula cell {cell[:40]!r}" for cell in cells if cell.startswith(FORMULAS)]
    if "html" in kind:
        body = response.get_data(as_text=True)
        return [f"unescaped {payload}" for payload in raw_markup_in(body)]
    return []
