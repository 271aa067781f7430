"""The README and docs/ hold together: every link leads to a file and heading that exist,
every test they name exists, and their prose names no commit (a run's figures and its
commit live in benchmarks/results/, which the docs link to)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)
HASH = re.compile(r"\b[0-9a-f]{7}\b")
TEST_NAME = re.compile(r"`((?:\w+/)*test_\w+\.py)(?:::(test_\w+))?`")


def prose(path):
    """The Markdown of path without its fenced code blocks."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as -."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    seen, found = {}, set()
    for heading in HEADING.findall(prose(path)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links():
    for path in DOCS:
        for target in LINK.findall(prose(path)):
            if not re.match(r"[a-z]+:", target):
                yield pytest.param(path, target, id=f"{path.relative_to(ROOT)}->{target}")


@pytest.mark.parametrize(("page", "target"), list(links()))
def test_every_link_leads_somewhere(page, target):
    file_part, _, anchor = target.partition("#")
    destination = (page.parent / file_part).resolve() if file_part else page
    assert destination.exists(), f"{target}: no such file"
    if anchor:
        assert anchor in anchors(destination), f"{target}: no such heading"


def test_the_docs_name_no_commit():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in DOCS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HASH.search(line)
    ]
    assert not found, "\n".join(found)


def test_every_test_the_docs_name_exists():
    """`events/rsvp/test_concurrency.py::test_...` names tests/events/rsvp/test_concurrency.py
    and a function in it: a moved or renamed test fails here until the doc follows."""
    missing = []
    for path in DOCS:
        for module, function in TEST_NAME.findall(prose(path)):
            found = ROOT / "tests" / module
            if not found.exists():
                missing.append(f"{path.name}: {module}")
            elif function and not re.search(
                rf"^def {function}\(", found.read_text(encoding="utf-8"), re.MULTILINE
            ):
                missing.append(f"{path.name}: {module}::{function}")
    assert not missing, "\n".join(missing)


def test_the_checks_see_what_they_look_for():
    assert slug("Email delivery, and why none is lost") == "email-delivery-and-why-none-is-lost"
    assert slug("Before opening: flask check-deploy") == "before-opening-flask-check-deploy"
    assert slug("A request's way through the code") == "a-requests-way-through-the-code"
    # As `grep -rnE "\b[0-9a-f]{7}\b"` sees it: a 7-digit number or a word such as
    # "defaced" looks like a commit too, so the docs write 1,234,567 and avoid the word.
    for looks_like_a_commit in ("at 4f5d343 today", "1234567 rows", "defaced"):
        assert HASH.search(looks_like_a_commit)
    assert not HASH.search("40000000 pixels, 2026-11-25T0600.md, 4f5d343e0c")
