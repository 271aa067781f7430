"""Reading rendered HTML the way a browser would: elements, field values and messages."""

import re
from html.parser import HTMLParser

# Where a page carries a token: htmx's header on <body>, and hidden inputs named
# csrf_token (with or without a form prefix), whatever the order of their attributes.
_CSRF_VALUES = re.compile(
    r'("X-CSRFToken": "|<input[^>]*\bname="[^"]*csrf_token"[^>]*\bvalue=")[^"]*'
)


class Element:
    def __init__(self, tag, attrs, select=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.select = select  # for <option>: the id of its <select>
        self.text = ""

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self._open = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self._select if tag == "option" else None)
        self.elements.append(element)
        if tag == "select":
            self._select = element.attrs.get("id")
        if tag in {"script", "style", "small", "option", "textarea", "p", "h1"}:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, attrs))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if self._open and self._open[-1].tag == tag:
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            element.text += data


def elements(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def by_id(html, element_id):
    found = [e for e in elements(html) if e.attrs.get("id") == element_id]
    assert found, f"no element with id {element_id!r}"
    return found[0]


def field_error(html, field_id):
    """The message shown next to a field, or None."""
    found = [e for e in elements(html) if e.attrs.get("id") == f"{field_id}-error"]
    return " ".join(found[0].text.split()) if found else None


def input_value(html, field_id):
    return by_id(html, field_id).attrs.get("value")


def selected_option(html, select_id):
    chosen = [e for e in elements(html) if e.select == select_id and "selected" in e.attrs]
    return chosen[0].attrs["value"] if chosen else None


def checked_radio(html, name):
    chosen = [
        e
        for e in elements(html)
        if e.tag == "input" and e.attrs.get("name") == name and "checked" in e.attrs
    ]
    return chosen[0].attrs["value"] if chosen else None


def is_checked(html, field_id):
    return "checked" in by_id(html, field_id).attrs


def html_element(html):
    """The attributes of the <html> element."""
    return next(e for e in elements(html) if e.tag == "html").attrs


def inline_code(html):
    """Everything a strict CSP would block: inline scripts, styles and event handlers."""
    problems = []
    for element in elements(html):
        if element.tag == "script" and ("src" not in element.attrs or element.text.strip()):
            problems.append(f"inline <script>: {element.text.strip()[:60]!r}")
        if element.tag == "style":
            problems.append("<style> element")
        for name, value in element.attrs.items():
            if name == "style":
                problems.append(f"style= on <{element.tag}>")
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                problems.append(f"{name}= on <{element.tag}>")
            if (value or "").strip().lower().startswith("javascript:"):
                problems.append(f"javascript: URL on <{element.tag}>")
    return problems


def without_csrf_tokens(html):
    """The page with its CSRF tokens blanked: they carry a timestamp, so two pages
    rendered a second apart differ there and nowhere else."""
    return _CSRF_VALUES.sub(r"\1TOKEN", html)


def top_level_ids(fragment):
    """The ids of a fragment's top-level elements: what htmx swaps on the page with it
    (the target, and the out-of-band parts)."""
    ids, depth = [], 0

    class Walk(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal depth
            if depth == 0 and dict(attrs).get("id"):
                ids.append(dict(attrs)["id"])
            if tag not in _VOID:
                depth += 1

        def handle_endtag(self, tag):
            nonlocal depth
            if tag not in _VOID:
                depth -= 1

    Walk().feed(fragment)
    return ids


_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def text_outside(html, ids):
    """The page's text without the elements whose id is in ids (what a swap replaces)."""
    kept, skipping = [], 0

    class Walk(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal skipping
            if tag in _VOID:
                return
            if skipping or dict(attrs).get("id") in ids:
                skipping += 1

        def handle_endtag(self, tag):
            nonlocal skipping
            if skipping and tag not in _VOID:
                skipping -= 1

        def handle_data(self, data):
            if not skipping:
                kept.append(data)

    Walk(convert_charrefs=True).feed(html)
    return " ".join(" ".join(kept).split())
