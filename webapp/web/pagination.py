"""One way to read `page` and `per_page` from a request and page a query with them.

Both are read bounded: a value that is not a whole number falls back to its default, one
out of bounds is clamped (a page past the end shows the last page), so no request can
ask the database for an offset it cannot hold.

A list paged by its keys (a Sort, webapp.web.sort_keys) gives its Next link the key of
the page's last row (`after`), and its Previous link the key of its first (`before`): the
page is read from there, not by walking every row before it, so page 200 reached by Next
costs what page 1 does, and an event added meanwhile near the top neither repeats a row
nor skips one. An address without a key, or with one that does not parse, is paged by
its number. The statements a page runs are built once, in a Listing
(webapp.web.listing); Page picks the one a request needs and reads the page with it.
"""

import math
from urllib.parse import quote

from flask import request

from webapp.extensions import db
from webapp.web.listing import Listing
from webapp.web.sort_keys import WHOLE_NUMBER
from webapp.web.url_patterns import url_for_each

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100
_KEY_ARGUMENTS = frozenset({"after", "before"})
# A list walked first for its match (Listing's walk_first) reads up to this many times
# the rows that the share expected to match says it must read to fill its page, and at
# most MAX_WALKED_FIRST: a word rarer than that is planned for at once.
WALK_FIRST_MARGIN = 3
MAX_WALKED_FIRST = 2_000
# A page typed by its number starts at its list's anchor (Listing's anchor) from this
# many rows before it: nearer the top, walking them costs less than finding the anchor
# (for /events, its week in the counts by week).
ANCHORED_FROM_OFFSET = 1_500


def bounded_arg(name, default, low, high):
    """The query argument name as an int within low..high, or default when it is not one.

    ASCII digits only: int() would also take "1_000", " 7" and other scripts' digits.
    """
    raw = request.args.get(name, "")
    if not WHOLE_NUMBER.fullmatch(raw):
        return default
    # Past 18 digits it is beyond any bound here; int() of thousands of digits is refused.
    return min(max(int(raw) if len(raw) <= 18 else high, low), high)


def _walked_first(listing, statement, values, to_find, cap):
    """The rows of a page read walking first for the match (Listing's walk_first), each
    with the count last, when that walk found to_find matches and so the count's cap, or
    read the whole list; else None."""
    share = listing.walk_first(values) if listing.walk_first is not None else None
    if not share:
        return None
    examine = math.ceil(to_find * WALK_FIRST_MARGIN / share)
    if examine > MAX_WALKED_FIRST:
        return None
    rows = db.session.execute(statement, values | {"examine_cap": examine}).all()
    if not rows:
        return None  # no match in the rows read, and whether the list went on unknown
    seen, listed = rows[0][-2:]
    if seen < cap and (listed is None or listed >= examine):
        return None
    return [row[:-1] for row in rows]


def _typed_page_rows(listing, offset):
    """The statement reading a page typed by its number: from the list's anchor, far
    enough in, on PostgreSQL (the anchors are counted there alone)."""
    if (
        listing.rows_anchored is not None
        and offset >= ANCHORED_FROM_OFFSET
        and db.engine.dialect.name == "postgresql"
    ):
        return listing.rows_anchored
    return listing.rows


class Page:
    """One page of a listing's rows, with what the pager macro needs to link the others.

    pages is the last page known to exist; more says there may be pages after it (then
    total is None, as it was not counted). after, before: the key (Sort's parse_key) of
    the row this page follows, or of the row it comes before, or None to page by number;
    next_after, prev_before: the keys the next and previous pages' links name.
    """

    def __init__(self, listing, page, per_page, values=None, after=None, before=None):
        self.page = page
        self.per_page = per_page
        offset = (page - 1) * per_page
        cap = offset + per_page * listing.lookahead_pages + 1
        values = {
            **(values or {}),
            "page_offset": offset,
            "page_limit": per_page + 1,
            "count_cap": cap,
            # A late lookup's walk, from the page's first row to the cap.
            "walk_cap": cap - offset,
            # Read back from a key: the page, then on from the key to the cap.
            "back_limit": per_page,
            "ahead_cap": cap - offset - per_page,
        }
        # Whether the rows before the key fell short of a page: the list has changed
        # since the link was made, and this page is its first (see paginate).
        self.short = False
        rows = self._read_rows(listing, values, offset, cap, after, before)
        # Each row carries the count last: a whole row's extra column, unnamed, goes unread.
        self.items = rows[:per_page] if listing.whole_rows else [row[0] for row in rows[:per_page]]
        self.has_next = len(rows) > per_page
        self._keep_neighbours_keys(listing)
        # Past the end (or nothing at all), the count alone says where the end is.
        seen = (
            rows[0][-1] if rows else (db.session.scalar(listing.count, values) if page > 1 else 0)
        )
        self.seen = seen
        self.more = seen >= cap
        self.total = None if self.more else seen
        self.pages = math.ceil(seen / per_page)

    def _read_rows(self, listing, values, offset, cap, after, before):
        """The page's rows (one more than a page, each with the count last): after or
        before a key, or by its number."""
        # The first page is the top of the list whatever key it names.
        by_key = self.page > 1 and listing.sort is not None
        if by_key and after is not None:
            walked = listing.rows_after_walked
            rows = _walked_first(listing, walked, values | after, cap - offset, cap)
            if rows is None:
                rows = db.session.execute(listing.rows_after, values | after).all()
            return rows
        if by_key and before is not None:
            rows = db.session.execute(listing.rows_before, values | before).all()
            self.short = not rows or rows[0][-2] < self.per_page
            return rows
        rows = _walked_first(listing, listing.rows_walked, values, cap, cap)
        if rows is None:
            rows = db.session.execute(_typed_page_rows(listing, offset), values).all()
        return rows

    def _keep_neighbours_keys(self, listing):
        """The keys of the rows next to the pages before and after this one."""
        self.next_after = self.prev_before = None
        if listing.sort is not None and self.items:
            if self.has_next:
                self.next_after = listing.sort.key_text(self.items[-1])
            if self.page > 2:
                self.prev_before = listing.sort.key_text(self.items[0])

    def url_for_pages(self, endpoint, args):
        """A function of a page number: its address, keeping args but those that are None;
        the next and previous pages' say which key they are next to, when the list is
        paged by key. A key among args (a view that keeps every argument of its address)
        is dropped: it was next to the row of another page."""
        kept = {
            name: value
            for name, value in args.items()
            if value is not None and name not in _KEY_ARGUMENTS
        }
        numbered = url_for_each(endpoint, "page", **kept)
        keys = {
            number: f"{name}={quote(key, safe=':~')}"
            for number, name, key in (
                (self.next_num, "after", self.next_after),
                (self.prev_num, "before", self.prev_before),
            )
            if key is not None
        }
        if not keys:
            return numbered

        def address(number):
            found = numbered(number)
            if number not in keys:
                return found
            return f"{found}{'&' if '?' in found else '?'}{keys[number]}"

        return address

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def prev_num(self):
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self):
        return self.page + 1 if self.has_next else None

    def iter_pages(self, *, left_edge=2, left_current=2, right_current=4, right_edge=2):
        """Page numbers to link, None for a gap (as Flask-SQLAlchemy's Pagination)."""
        pages_end = self.pages + 1
        if pages_end == 1:
            return
        left_end = min(1 + left_edge, pages_end)
        yield from range(1, left_end)
        if left_end == pages_end:
            return
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, pages_end)
        if mid_start - left_end > 0:
            yield None
        yield from range(mid_start, mid_end)
        if mid_end == pages_end:
            return
        # The last page is only linked when it is known to be the last.
        right_start = pages_end if self.more else max(mid_end, pages_end - right_edge)
        if right_start - mid_end > 0 or self.more:
            yield None
        yield from range(right_start, pages_end)


def paginate(statement, per_page=20, max_per_page=MAX_PER_PAGE, values=None):
    """statement paged by the request's `page` and `per_page`; past the end, the last page.

    statement: a select in the order to list, or a Listing built once (then values: its
    bind parameters').
    """
    listing = statement if isinstance(statement, Listing) else Listing(statement)
    page_number = bounded_arg("page", 1, 1, MAX_PAGE)
    size = bounded_arg("per_page", per_page, 1, max_per_page)
    keys = {"after": request.args.get("after"), "before": request.args.get("before")}
    if listing.sort is None:
        keys = {}
    keys = {name: listing.sort.parse_key(key) for name, key in keys.items() if key is not None}
    page = Page(listing, page_number, size, values, **keys)
    if page.short:
        page = Page(listing, 1, size, values)
    if not page.items and page_number > 1:
        # Past the end the count was not cut short (there are fewer rows than the cap),
        # so it names the last page.
        page = Page(listing, max(page.pages, 1), size, values)
    # The pager's links keep a page size the visitor chose, and only then.
    page.link_args = {"per_page": size} if size != per_page else {}
    return page
