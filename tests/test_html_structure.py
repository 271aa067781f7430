"""Every page and fragment, as every kind of person sees it, holds what an HTML checker
asks of it: no id twice (a page with several forms wrote id="csrf_token" in each), a
machine-readable time a browser can read (a comment's had microseconds), a
required single choice that starts with an empty option (else the browser has chosen
for the person already), an address in a field that can hold one (a single line is an
address's first line, not a street address), and headings that go down one level at a
time. The pages come from the crawl of tests/support/fuzz.py, so a page added later is
held to the same rules; the Nu Html Checker reads what the browser tests see
(tests/browser/conftest.py)."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.conftest import Auth
from tests.support.fuzz import crawl_pages, role_clients

# A datetime attribute's fraction of a second has at most three digits.
_FINE_FRACTION = re.compile(r"\.\d{4,}")


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = Counter()
        self.problems = []
        self.headings = []
        self._select = None  # (name, required, options so far)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids[attributes["id"]] += 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "time" and _FINE_FRACTION.search(attributes.get("datetime") or ""):
            self.problems.append(f"time {attributes['datetime']}: more than ms in datetime")
        if tag == "input" and attributes.get("autocomplete") == "street-address":
            self.problems.append(f"input {attributes.get('name')}: street-address on one line")
        if tag == "select":
            required = "required" in attributes and "multiple" not in attributes
            self._select = [attributes.get("name"), required, 0]
        if tag == "option" and self._select is not None:
            name, required, seen = self._select
            if required and seen == 0 and attributes.get("value", "x") != "":
                self.problems.append(f"select {name}: required, with a choice made already")
            self._select[2] += 1

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def structure_problems(page, whole_page):
    parsed = _Structure()
    parsed.feed(page)
    problems = list(parsed.problems)
    problems += [f'id="{name}" {count} times' for name, count in parsed.ids.items() if count > 1]
    levels = parsed.headings
    if whole_page:
        for before, after in zip([0, *levels], levels, strict=False):
            if after > before + 1:
                problems.append(f"h{after} after h{before or '(none)'}")
    return problems


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_no_page_repeats_an_id_or_skips_a_rule_of_its_elements(app, fuzz_world, htmx):
    clients = role_clients(app, Auth)
    found = {}
    for role, url, response in crawl_pages(app, clients, fuzz_world, htmx=htmx):
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        for problem in structure_problems(page, whole_page=not htmx):
            found.setdefault(problem, f"{url} ({role})")
    assert not found, "\n".join(f"{where}: {problem}" for problem, where in sorted(found.items()))


def test_the_rules_see_what_they_look_for():
    """The control: each rule finds its fault."""
    page = (
        '<h1>A</h1><h3>B</h3><form><input id="csrf_token"></form><form><input id="csrf_token">'
        '<input autocomplete="street-address" name="address">'
        '<select name="role" required><option value="member">Member</option></select></form>'
        '<time datetime="2026-11-27T04:03:13.122080+00:00">now</time>'
    )
    assert set(structure_problems(page, whole_page=True)) == {
        'id="csrf_token" 2 times',
        "h3 after h1",
        "input address: street-address on one line",
        "select role: required, with a choice made already",
        "time 2026-11-27T04:03:13.122080+00:00: more than ms in datetime",
    }
