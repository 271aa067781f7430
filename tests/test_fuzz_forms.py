"""Every form of the app, found by crawling every page as every kind of person, fuzzed
with hypothesis: only 2xx, 3xx or 4xx, our markup never comes back unescaped (in the
answer, or in the page a redirect leads to), and afterwards every page still answers as
every role and every email written is delivered.

A POST route that no crawled page offers a form for fails
test_every_form_is_fuzzed_and_breaks_nothing, so a new form cannot go unfuzzed. Forms
that end what they act on (delete, leave, log out, hand over) are fuzzed apart from the
others, a few to a world (WORLDS: each acts on a thing of its own, so none takes away what
another acts on or left for the pages to show); so is a date of a series' edit form, with
"This date and every later one" chosen (it changes the dates after it; the one-off event's
edit form is fuzzed with the others). All others share one world, so that what one
stores is shown by the pages the others crawl.
Hypothesis is derandomized: CI sees the same examples every run.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Auth, run_worker
from tests.support.crawl import path
from tests.support.fuzz import (
    MARKUP,
    ROLES,
    WORLD_FAILED_KIND,
    crawl_pages,
    endpoint_of,
    examples,
    find_form,
    form_data,
    get,
    get_routes,
    markup_data,
    post_forms,
    raw_markup_in,
    role_clients,
    unsafe_output,
)
from tests.support.outbox_clock import pass_time
from webapp.audit.models import AuditAction, AuditEntry, SubjectType
from webapp.events.series.forms import FOLLOWING, THIS_DATE
from webapp.extensions import db
from webapp.outbox.models import OutboxMessage

EXAMPLES = examples(8)
EXAMPLES_APART = examples(4)
# Who fuzzes a form seen by several people: the event's co-host first (their way through
# the event's forms is the one the organisers' does not walk), then the one who may do
# most with it.
PREFERENCE = (
    "cohost",
    "owner",
    "organiser",
    "member",
    "pending",
    "invited",
    "outsider",
    "visitor",
    "admin",
)
# Forms that end what they act on, each with who submits it and the page that offers it.
ENDING_FORMS = {
    "auth.logout": ("member", "main.home"),
    "groups.leave": ("member", "groups.leave"),
    "groups.manage.delete": ("owner", "groups.manage.settings"),
    "groups.manage.transfer": ("owner", "groups.manage.settings"),
    "groups.manage.remove": ("owner", "groups.manage.remove"),
    "groups.manage.decide": ("owner", "groups.manage.members"),
    "groups.manage.change_invitation": ("owner", "groups.manage.invitations"),
    "groups.invitation": ("invited", "groups.invitation"),
    "events.manage.delete": ("owner", "events.manage.delete"),
    "events.manage.cancel": ("owner", "events.manage.cancel"),
    "events.agenda.delete": ("owner", "events.agenda.delete"),
    "events.agenda.remove_speaker_from": ("owner", "events.detail"),
    "events.rsvp.remove": ("owner", "events.rsvp.remove"),
    # A deleted question is no longer to be changed.
    "events.questions.delete": ("owner", "events.questions.page"),
    # The co-host removed runs the event no more: the forms fuzzed as them would be refused.
    "events.cohosts.remove": ("owner", "events.cohosts.page"),
    "files.delete": ("owner", "files.delete"),
    "tasks.manage.delete": ("owner", "tasks.manage.delete"),
    # Read once, its button is gone (and "mark all as read" comes first).
    "announcements.mark_one_read": ("member", "announcements.detail"),
    # Sent now (or withdrawn), a waiting announcement is no longer to be edited.
    "announcements.manage.edit": ("owner", "announcements.manage.edit"),
    "announcements.manage.withdraw": ("owner", "announcements.manage.withdraw"),
    # Members-only, a public announcement has nothing left to take off the open web.
    "announcements.members_only": ("owner", "announcements.members_only"),
    "polls.manage.close": ("owner", "polls.manage.close"),
    "polls.manage.delete": ("owner", "polls.manage.delete"),
    "polls.manage.remove": ("owner", "polls.detail"),
    "auth.verify_email": ("visitor", "auth.verify_email"),
    "auth.reset_password": ("visitor", "auth.reset_password"),
    "accounts.confirm_email_change": ("owner", "accounts.confirm_email_change"),
    # A report decided (or passed up) leaves the queue, and the admins' list.
    "reports.manage.act": ("owner", "reports.manage.queue"),
    "admin.report_action": ("admin", "admin.reports"),
    # The admin's: deactivating the member, suspending the group, discarding the email.
    "admin.user_action": ("admin", "admin.user_action"),
    "admin.group_action": ("admin", "admin.group_action"),
    "admin.email_action": ("admin", "admin.email_action"),
}


# Who looks at every page after a world's forms: an organiser (the owner may have handed the
# group over, or changed their address) and a member.
SEERS = ("organiser", "member")
# The worlds the ending forms are fuzzed in, each world's in order, and who then looks at every
# page. In a world each form acts on a thing no other form there touches, so what one leaves
# stays for the pages to show; a form that locks a seer out (or changes what every page of
# the group shows) comes last, and one that takes away what every other form acts on or
# left (a deleted event or group, a suspended group) has a world to itself. A crawl of
# every page as two people costs several times a form's fuzzing, so forms share worlds.
WORLDS = {
    "each-on-a-thing-of-its-own": (
        SEERS,
        (
            "auth.logout",
            "auth.verify_email",
            "groups.manage.decide",
            "groups.manage.change_invitation",
            "files.delete",
            "tasks.manage.delete",
            "polls.manage.close",
            "events.questions.delete",
            "events.agenda.delete",
            "events.cohosts.remove",
            "events.rsvp.remove",
            "announcements.mark_one_read",
            "announcements.manage.withdraw",
            "announcements.members_only",
            "reports.manage.act",
            "admin.email_action",
            "admin.user_action",
            # The member removed from the group: last, as no form after it is theirs.
            "groups.manage.remove",
        ),
    ),
    # The same things as above, by the other form that ends them.
    "their-other-ends": (
        SEERS,
        (
            "events.agenda.remove_speaker_from",
            "polls.manage.remove",
            "announcements.manage.edit",
            "groups.invitation",
            "admin.report_action",
            "groups.leave",
        ),
    ),
    # The owner's: the event called off, the poll gone, the group handed over, and the
    # owner's address changed last (the owner could log in no more).
    "the-owner-lets-go": (
        SEERS,
        (
            "events.manage.cancel",
            "polls.manage.delete",
            "groups.manage.transfer",
            "accounts.confirm_email_change",
        ),
    ),
    "event-deleted": (SEERS, ("events.manage.delete",)),
    "group-deleted": (SEERS, ("groups.manage.delete",)),
    "group-suspended": (SEERS, ("admin.group_action",)),
    # The member's password was reset: the owner looks instead.
    "member-s-password-reset": (("organiser", "owner"), ("auth.reset_password",)),
}


def fuzz_settings(count):
    return settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def discover(app, clients, world):
    """endpoint -> (role, page url) for every POST form on any page any role sees (but a
    date of a series' edit page: its form is fuzzed alone, below)."""
    found = {}
    for role, url, response in crawl_pages(app, clients, world):
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        if url == world.series_date_edit:
            continue
        for form in post_forms(response.get_data(as_text=True), url):
            if endpoint := endpoint_of(app, form.action):
                found.setdefault(endpoint, []).append((role, url))
    return {
        endpoint: min(places, key=lambda place: PREFERENCE.index(place[0]))
        for endpoint, places in found.items()
    }


def post_endpoints(app):
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}


def rule_of(app, endpoint):
    """endpoint's GET rule (the one with most arguments: /events/<id>-<slug>, not the
    address that only redirects there)."""
    rules = [rule for rule in get_routes(app) if rule.endpoint == endpoint]
    return max(rules, key=lambda rule: len(rule.arguments))


def check_answer(client, response, what):
    """No 5xx, nothing that would run; a redirect within the site is followed and checked."""
    problems = unsafe_output(response)
    if response.status_code >= 500:
        problems.append(f"{response.status_code}")
    if 300 <= response.status_code < 400:
        target = urlsplit(response.location)
        if target.netloc not in ("", "localhost"):
            problems.append(f"redirects off the site to {response.location!r}")
        else:
            landed = get(client, target.path + (f"?{target.query}" if target.query else ""))
            if landed.status_code >= 500 or unsafe_output(landed):
                problems.append(f"the page redirected to, {response.location}, breaks")
    assert not problems, f"{what}: " + "; ".join(problems)


def fuzz_form(app, client, form, endpoint, count):
    """Post examples to the form; the statuses it answered."""
    token = client.csrf_token()
    statuses = []
    for payload in MARKUP[:2]:
        app.extensions["hearth_limiter"].reset()
        response = client.post(
            form.action, data=markup_data(form, payload), headers={"X-CSRFToken": token}
        )
        statuses.append(response.status_code)
        check_answer(
            client, response, f"POST {endpoint} {form.action} (markup in every text field)"
        )

    @fuzz_settings(count)
    @given(data=form_data(form), htmx=st.booleans())
    def one(data, htmx):
        app.extensions["hearth_limiter"].reset()
        headers = {"X-CSRFToken": token}
        if htmx:
            headers["HX-Request"] = "true"
        response = client.post(form.action, data=data, headers=headers)
        statuses.append(response.status_code)
        check_answer(client, response, f"POST {endpoint} {form.action}")

    one()
    return statuses


def assert_pages_still_answer(app, clients, world):
    broken = [
        f"{role} GET {url}: {response.status_code} {unsafe_output(response)}"
        for role, url, response in crawl_pages(app, clients, world)
        if response.status_code >= 500 or unsafe_output(response)
    ]
    assert not broken, "pages broken by stored input:\n" + "\n".join(broken)


def outbox():
    """The messages the forms wrote (the world's one failed email, there for the admin's
    outbox actions, aside)."""
    rows = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.kind != WORLD_FAILED_KIND)
        .order_by(OutboxMessage.id)
    ).all()
    # A message rendered when sent (render_args) has its bodies only on the wire.
    found = [
        (m.kind, m.state, m.text_body or m.render_args, m.html_body, m.last_error) for m in rows
    ]
    db.session.rollback()
    return found


def assert_mail_delivers(app, smtp_listener):
    """Every message written has a body with our markup escaped, and the worker delivers
    it to the SMTP listener (a sent row keeps no body: its links are single-use)."""
    with app.app_context():
        written = outbox()
    empty = [kind for kind, _, text, *_ in written if not text or not str(text).strip()]
    unescaped = [kind for kind, _, _, html, _ in written if raw_markup_in(html)]
    assert not empty, f"outbox messages without a body: {empty}"
    assert not unescaped, f"outbox messages with unescaped markup: {unescaped}"
    run_worker(app)
    # Notices of a change wait for more changes (up to a day past a person's daily few).
    pass_time(app, timedelta(days=2))
    run_worker(app)
    with app.app_context():
        # Jobs the forms queued (notices of a change, say) may have written more.
        delivered = outbox()
    stuck = [(kind, state, error) for kind, state, *_, error in delivered if state != "sent"]
    assert not stuck, f"outbox messages not delivered: {stuck}"
    assert len(smtp_listener.messages) == len(delivered) >= len(written)
    for message in smtp_listener.messages:
        assert message.get_body(preferencelist=("plain",)).get_content().strip()
        for part in message.walk():
            if part.get_content_type() == "text/html":
                assert not raw_markup_in(part.get_content()), message["Subject"]
    return len(written)


@pytest.mark.timeout(examples(400))
def test_every_form_is_fuzzed_and_breaks_nothing(app, fuzz_world, smtp_listener):
    clients = role_clients(app, Auth, roles=(*ROLES, "invited"))
    found = discover(app, clients, fuzz_world)
    missing = post_endpoints(app) - set(found)
    assert not missing, f"POST routes no crawled page has a form for: {sorted(missing)}"
    assert set(ENDING_FORMS) <= set(found), "ENDING_FORMS names a route that has no form"
    shared = {endpoint: place for endpoint, place in found.items() if endpoint not in ENDING_FORMS}
    assert len(shared) > 20, f"too few forms found: {sorted(shared)}"

    accepted = set()
    for endpoint, (role, url) in sorted(shared.items()):
        form = find_form(app, clients[role], endpoint, url)
        if any(status < 400 for status in fuzz_form(app, clients[role], form, endpoint, EXAMPLES)):
            accepted.add(endpoint)
    # Most forms must take some of the examples, or the fuzz never reaches the database.
    assert len(accepted) > len(shared) * 2 // 3, f"refused every example: {set(shared) - accepted}"

    assert_pages_still_answer(app, clients, fuzz_world)
    assert assert_mail_delivers(app, smtp_listener) > 0, "no form wrote an email"


def test_every_form_that_ends_what_it_acts_on_has_one_world():
    placed = [endpoint for _, endpoints in WORLDS.values() for endpoint in endpoints]
    assert sorted(placed) == sorted(ENDING_FORMS)


@pytest.mark.timeout(examples(300))
@pytest.mark.parametrize("world", WORLDS)
def test_forms_that_end_what_they_act_on_never_break_anything(
    app, fuzz_world, smtp_listener, world
):
    seers, endpoints = WORLDS[world]
    for endpoint in endpoints:
        role, page_endpoint = ENDING_FORMS[endpoint]
        client = role_clients(app, Auth, roles=(role,))[role]
        url = path(rule_of(app, page_endpoint), fuzz_world)
        form = find_form(app, client, endpoint, url)
        statuses = fuzz_form(app, client, form, endpoint, EXAMPLES_APART)
        # A form sharing a world still acts (its first example ends its thing): no form
        # before it took that thing away.
        if len(endpoints) > 1:
            assert any(status < 400 for status in statuses), (endpoint, statuses)

    assert_pages_still_answer(app, role_clients(app, Auth, roles=seers), fuzz_world)
    assert_mail_delivers(app, smtp_listener)


def for_every_later_date(form):
    """A date of a series' edit form with "This date and every later one" the one choice
    left (every example that ticks one takes it), and answers closing as the date starts:
    the fuzz's plausible deadline, years ahead, comes after the date, and the form would
    refuse every example for it."""
    choices = [value for name, _, value, _ in form.fields if name == "applies_to"]
    assert sorted(choices) == sorted([FOLLOWING, THIS_DATE]), form.fields
    form.fields = [
        field for field in form.fields if field[0] != "applies_to" or field[2] == FOLLOWING
    ]
    fields = {field[0]: field for field in form.fields}
    fields["rsvp_deadline"][2] = fields["starts_at"][2]
    return form


@pytest.mark.timeout(examples(120))
def test_editing_a_series_date_and_every_later_one_never_breaks_anything(
    app, fuzz_world, smtp_listener
):
    clients = role_clients(app, Auth, roles=("owner",))
    form = find_form(app, clients["owner"], "events.manage.edit", fuzz_world.series_date_edit)
    for_every_later_date(form)

    statuses = fuzz_form(app, clients["owner"], form, "events.manage.edit", EXAMPLES_APART)

    assert any(status < 400 for status in statuses), statuses
    with app.app_context():
        later_edits = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == AuditAction.EVENT_EDITED,
                AuditEntry.subject_type == SubjectType.EVENT,
                AuditEntry.subject_id == fuzz_world.later_date_id,
            )
        )
    assert later_edits, "no example changed the later date: the fuzz never reached it"
    assert_pages_still_answer(app, role_clients(app, Auth, roles=SEERS), fuzz_world)
    assert_mail_delivers(app, smtp_listener)


class _Answer:
    def __init__(self, status, body, location=None, content_type="text/html; charset=utf-8"):
        self.status_code, self.body, self.location = status, body, location
        self.content_type = content_type

    def get_data(self, as_text=False):
        return self.body


@pytest.mark.parametrize(
    "answer",
    [
        _Answer(500, "oops"),
        _Answer(200, "<p>Hello <script>hearthFuzz(1)</script></p>"),
        _Answer(303, "", "https://evil.example/"),
        _Answer(200, 'name\r\n"=HYPERLINK(""x"")"\r\n', content_type="text/csv"),
    ],
    ids=["server-error", "unescaped", "off-site", "csv-formula"],
)
def test_the_checks_catch_what_they_look_for(client, answer):
    """The control: a 5xx, our markup unescaped, a redirect off the site each fail."""
    with pytest.raises(AssertionError):
        check_answer(client, answer, "POST /somewhere")


def test_the_form_reader_finds_fields_as_a_browser_sends_them():
    html = """<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">
    <input name="title" value="Tea"><textarea name="notes">Hi</textarea>
    <select name="kind"><option value="a">A</option><option value="b" selected>B</option>
    </select><input type="checkbox" name="ok" value="y"><input name="off" disabled>
    <button name="answer" value="going">Going</button></form>
    <form method="get" action="/search"><input name="q"></form>"""

    (form,) = post_forms(html, "/page")

    assert form.action == "/x"
    assert form.fields == [
        ["csrf_token", "hidden", "t", []],
        ["title", "text", "Tea", []],
        ["notes", "textarea", "Hi", []],
        ["kind", "select", "b", ["a", "b"]],
        ["ok", "checkbox", "y", []],
        ["answer", "button", "going", []],
    ]


def test_the_form_reader_finds_every_form_however_written_and_nothing_around_them():
    """It reads only the forms' markup: a form tag in capitals or broken over lines is
    found, a field outside any form is not, and a form's text that reads like a tag
    (escaped, as every page writes it) does not end the form."""
    html = """<!doctype html><html><body><h1>About &lt;form method="post"&gt;</h1>
    <input name="outside"><FORM
      METHOD="POST" action="/a"><input name="one"></FORM><p>Between</p>
    <form method="post"><textarea name="body">&lt;/form&gt;</textarea><input name="two"></form>
    </body></html>"""

    first, second = post_forms(html, "/page")

    assert (first.action, first.names()) == ("/a", {"one"})
    assert (second.action, second.names()) == ("/page", {"body", "two"})
    assert second.fields[0] == ["body", "textarea", "</form>", []]
