"""One way to read `page` and `per_page` from a request and page a query with them.

Both are read bounded: a value that is not a whole number falls back to its default, one
out of bounds is clamped (a page past the end shows the last page), so no request can
ask the database for an offset it cannot hold.

A page costs one query whatever the size of the table: its rows (one more than it
shows, which answers "is there a next page"), each carrying a count that stops a few
pages past this one. An exact COUNT(*) of a big table grew with the data; people rarely jump more
than a few pages ahead, and the pager says "at least" when it has not counted them all.

A list paged by its keys (a Sort) gives its Next link the key of the page's last row
(`after`), and its Previous link the key of its first (`before`): the page is read from
there, not by walking every row before it, so page 200 reached by Next costs what page 1
does, and an event added meanwhile near the top neither repeats a row nor skips one. An
address without a key, or with one that does not parse, is paged by its number.
"""

import math
import re
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import quote

import sqlalchemy as sa
from flask import request
from sqlalchemy.sql import visitors
from sqlalchemy.sql.util import ClauseAdapter

from webapp.db_setup import prepared
from webapp.extensions import db
from webapp.url_patterns import url_for_each

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100
# What separates the values of a key in an address (after=, before=).
_KEY_SEPARATOR = "~"
_KEY_ARGUMENTS = frozenset({"after", "before"})
# Whole numbers in keys are ids: PostgreSQL's integer.
_LARGEST_ID = 2**31 - 1
# How many pages past the current one a list's count looks for (Listing's lookahead_pages).
LOOKAHEAD_PAGES = 10
# A list walked first for its match (Listing's walk_first) reads up to this many times
# the rows that the share expected to match says it must read to fill its page, and at
# most MAX_WALKED_FIRST: a word rarer than that is planned for at once.
WALK_FIRST_MARGIN = 3
MAX_WALKED_FIRST = 2_000
# A page typed by its number starts at its list's anchor (Listing's anchor) from this
# many rows before it: nearer the top, walking them costs less than finding the anchor
# (for /events at 10x, finding its week cost about what walking 1,600 events did).
ANCHORED_FROM_OFFSET = 1_500
_WHOLE_NUMBER = re.compile(r"[0-9]+")


def bounded_arg(name, default, low, high):
    """The query argument name as an int within low..high, or default when it is not one.

    ASCII digits only: int() would also take "1_000", " 7" and other scripts' digits.
    """
    raw = request.args.get(name, "")
    if not _WHOLE_NUMBER.fullmatch(raw):
        return default
    # Past 18 digits it is beyond any bound here; int() of thousands of digits is refused.
    return min(max(int(raw) if len(raw) <= 18 else high, low), high)


class Sort(NamedTuple):
    """The order of a list that is paged by its keys: columns all ascending or all
    descending, the last one unique."""

    columns: tuple
    descending: bool = False

    def order(self, columns=None):
        """ORDER BY clauses for this order, of its columns or of columns standing for them
        (a page's keys)."""
        columns = self.columns if columns is None else columns
        return [column.desc() if self.descending else column for column in columns]

    def reverse(self):
        return Sort(self.columns, not self.descending)

    def _compared(self):
        """The sort's columns, and the key in the bind parameters key_0, key_1...: as one
        row each, whose comparison walks the sort's index from the key."""
        key = (sa.bindparam(f"key_{i}", type_=col.type) for i, col in enumerate(self.columns))
        return sa.tuple_(*self.columns), sa.tuple_(*key)

    def after(self):
        """SQL: a row comes after the key."""
        columns, key = self._compared()
        return columns < key if self.descending else columns > key

    def before(self):
        """SQL: a row comes before the key."""
        columns, key = self._compared()
        return columns > key if self.descending else columns < key

    def from_key(self):
        """SQL: a row is the key's, or comes after it."""
        columns, key = self._compared()
        return columns <= key if self.descending else columns >= key

    def key_text(self, row):
        """The key of row (an object with the sort's columns as attributes) as an
        address holds it: its values joined by "~", times in UTC ("...Z")."""
        return _KEY_SEPARATOR.join(_value_text(getattr(row, column.key)) for column in self.columns)

    def parse_key(self, text):
        """The bind parameters of the key (after(), before()) for a key_text, or None
        when text is not one.

        Only the first column may be text (a name can hold "~"); the others are read
        from the right.
        """
        parts = text.rsplit(_KEY_SEPARATOR, len(self.columns) - 1)
        if len(parts) != len(self.columns):
            return None
        values = {}
        for i, (column, part) in enumerate(zip(self.columns, parts, strict=True)):
            value = _parse_value(column, part)
            if value is None:
                return None
            values[f"key_{i}"] = value
        return values


def _value_text(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return str(value)


def _parse_value(column, text):
    """text as a value of column, or None: an id, an aware time, or text that fits."""
    # A TypeDecorator's own python_type is object: its underlying type's says.
    kind = getattr(column.type, "impl_instance", column.type).python_type
    if kind is int:
        if not _WHOLE_NUMBER.fullmatch(text) or len(text) > 10 or int(text) > _LARGEST_ID:
            return None
        return int(text)
    if kind is datetime:
        try:
            moment = datetime.fromisoformat(text) if len(text) <= 40 else None
            # In UTC, the first and last days of the calendar may fall outside it.
            return moment.astimezone(UTC) if moment and moment.tzinfo else None
        except (ValueError, OverflowError):
            return None
    if kind is str:
        length = getattr(column.type, "length", None) or 1000
        return text if len(text) <= length else None
    return None


class Listing:
    """A list's statement with the statements paging runs, built once.

    Building a page's statements (the count, the keys, the late row lookup) cost more than
    running them. A list whose statement takes its values as bind parameters keeps one
    Listing per shape of request (functools.cache) and passes the values to paginate.

    statement: ordered as it is to be listed; or, with sort (a Sort) and rows (a function
    of a page's keys, a CTE of the sort's columns, giving their rows joined to them, in
    their order, without the statement's filters, which the keys passed), ordered by sort
    and its page read by key. Such a list finds its keys and its count in one walk, from
    the page's first row to the count's cap, unless counted_apart: then it counts from its
    first row, in whatever order the database finds cheapest (the groups' search, whose
    text index may find its matches faster than a walk in the list's order).

    one_plan (with sort): PostgreSQL keeps one plan of each page's statement for all values
    (see db_setup.prepared), for a list whose test shows that plan as good as any. Not
    the count alone (a page past the end), which has no order to walk an index in.

    lookahead_pages: how many pages past the current one the count looks for; fewer for a
    list whose every row counted costs a row read and tested (a search's text).

    match (with sort): a filter added after the statement's own, the dearest to test (a
    search's text). walk_first (with match): a function of the values giving the share
    of rows expected to match (0 to 1), or None when it cannot tell. Given a share, a
    page read by number or by Next first walks the list without match in its order,
    reading at most the rows that share says it needs (WALK_FIRST_MARGIN times), and tests
    match on those alone, with one plan for every value (rows_walked,
    rows_after_walked). When that walk finds the page and the count's cap, those are the
    page's, exactly: the matches among the first rows of a list are its first matches;
    so they are when the rows it read were all the list had. Otherwise the statement
    runs as the database plans it for the values. A search planned for each word cost
    PostgreSQL as long as running it; planned once for all, it walked the list for a
    rare word too, which its trigram index finds at once.

    anchor (with an ascending sort; PostgreSQL only): a select of one row, start (a value
    of the sort's first column) and before (how many rows of the list come before start),
    for the furthest start with before at most :page_offset: a page typed by its number
    (from ANCHORED_FROM_OFFSET rows in) walks from there, skipping the rest, instead of
    walking every row before it (rows_anchored). It may name the list's top (0 before).
    """

    def __init__(
        self,
        statement,
        sort=None,
        rows=None,
        counted_apart=False,
        one_plan=False,
        lookahead_pages=LOOKAHEAD_PAGES,
        match=None,
        walk_first=None,
        anchor=None,
    ):
        if (sort is None) != (rows is None):
            raise TypeError("a late row lookup needs both sort and rows")
        if one_plan and sort is None:
            raise TypeError("one plan is for a list paged by key")
        if walk_first is not None and (match is None or sort is None or counted_apart):
            raise TypeError("a walk first is for a match in a list paged by key, counted on")
        if anchor is not None and (sort is None or sort.descending or counted_apart):
            raise TypeError("an anchor is for a list paged by an ascending key, counted on")
        offset, limit = sa.bindparam("page_offset"), sa.bindparam("page_limit")
        # Read walking first for the match (walk_first), or None.
        self.walk_first = walk_first
        self.rows_walked = self.rows_after_walked = None
        if walk_first is not None:
            unmatched = statement.order_by(None)
            self.rows_walked = _walked_lookup(unmatched, sort, rows, match, offset)
            after = unmatched.where(sort.after())
            self.rows_after_walked = _walked_lookup(after, sort, rows, match)
        if match is not None:
            statement = statement.where(match)
        if sort is not None:
            statement = statement.order_by(None).order_by(*sort.order())
        self.statement = statement
        self.sort = sort
        self.lookahead_pages = lookahead_pages
        # Read from the key of a row next to the page (see _read_from_keys); None for a
        # list without sort.
        self.rows_after = self.rows_before = self.rows_anchored = None
        # Which rows are counted does not matter, only how many: no ORDER BY, so the
        # database may stop at the cap in whatever order is cheapest. It rides along
        # with the rows as one more column: one round trip, not two.
        counted = statement.order_by(None).limit(sa.bindparam("count_cap")).subquery()
        self.count = sa.select(sa.func.count()).select_from(counted)
        if sort is None:
            self.rows = statement.offset(offset).add_columns(self.count.scalar_subquery())
            self.rows = self.rows.limit(limit)
            return
        # A late row lookup: the offset walks an index for the keys alone, then only this
        # page's rows are read. Reading every row before the offset, wide ones
        # (descriptions) included, made page 40 cost several times page 1. The rows are
        # read by key alone: planning the list's filters a second time cost PostgreSQL
        # about 2 ms, more than running them. They are joined to the keys, not looked up
        # among them (IN): a plain join is quicker to plan.
        keys = statement.with_only_columns(*sort.columns)
        count = self.count.scalar_subquery() if counted_apart else None
        self.rows = _late_lookup(keys.offset(offset), sort, rows, count)
        self._read_from_keys(statement, sort, rows, count)
        # Read from the list's anchor (a page typed far in).
        if anchor is not None:
            anchor = anchor.cte("page_anchor")
            start = sa.select(anchor.c.start).scalar_subquery()
            before = sa.select(anchor.c.before).scalar_subquery()
            anchored = keys.where(sort.columns[0] >= start).offset(offset - before)
            self.rows_anchored = _late_lookup(anchored, sort, rows)
        if one_plan:
            self.rows, self.rows_after, self.rows_before, self.rows_anchored = (
                page if page is None else prepared(page, one_plan=True)
                for page in (self.rows, self.rows_after, self.rows_before, self.rows_anchored)
            )

    def _read_from_keys(self, statement, sort, rows, count=None):
        """The statements of a page read from a key, which do not walk the rows before
        it: the page's number says how many came before. A list counted apart still
        counts from the top: with the key in it, PostgreSQL could not tell how many rows
        a search of events left, and intersected two bitmaps of the whole table (9.5 ms
        at 10x).

        rows_after: the page after the key (its Next link's). rows_before: the page
        before it (its Previous link's), and the row at or after the key, which says
        there is a next page; each row also carries how many rows the page found before
        the key, which tells a page that the list has changed since (fewer than a page).
        count: the count of a list counted apart (SQL), or None to count on from the key.
        """
        offset = sa.bindparam("page_offset")
        keys = statement.where(sort.after()).with_only_columns(*sort.columns)
        self.rows_after = _late_lookup(keys, sort, rows, count)

        back = statement.where(sort.before()).with_only_columns(*sort.columns)
        back = back.order_by(None).order_by(*sort.reverse().order())
        back = back.limit(sa.bindparam("back_limit")).cte("page_back")
        on = statement.where(sort.from_key()).with_only_columns(*sort.columns)
        if count is not None:
            first_on = on.limit(1).subquery()
        else:
            # One walk on from the key to the count's cap, as a page read by number.
            walk = on.limit(sa.bindparam("ahead_cap")).cte("page_walk")
            first_on = sa.select(*walk.c).order_by(*sort.order(walk.c)).limit(1).subquery()
        keys = sa.union_all(sa.select(*back.c), sa.select(*first_on.c)).cte("page_keys")
        found_back = sa.select(sa.func.count()).select_from(back).scalar_subquery()
        if count is None:
            walked = sa.select(sa.func.count()).select_from(walk).scalar_subquery()
            count = offset + found_back + walked
        self.rows_before = rows(keys).add_columns(found_back, count)


def _walked_lookup(statement, sort, rows, match, offset=None):
    """rows of the page of the rows of statement that match, among its first
    :examine_cap rows in the sort's order (Listing's walk_first), from offset; each with
    the count, as _late_lookup's, and how many rows the list had up to :examine_cap when
    the walk fell short of its cap (else NULL: then not read)."""
    read = {column.key: column for column in sort.columns}
    for element in visitors.iterate(match):
        if isinstance(element, sa.Column):
            read.setdefault(element.key, element)
    first_rows = statement.order_by(*sort.order()).limit(sa.bindparam("examine_cap"))
    window = first_rows.with_only_columns(*read.values()).subquery("examined")
    columns = [window.c[column.key] for column in sort.columns]
    keys = sa.select(*columns).where(ClauseAdapter(window).traverse(match))
    keys = keys.order_by(*sort.order(columns)).offset(offset)
    # The sort's columns alone: a walk of the index, read only when the walk fell short.
    listed = first_rows.with_only_columns(*sort.columns).subquery()
    listed = sa.select(sa.func.count()).select_from(listed).scalar_subquery()
    return prepared(_late_lookup(keys, sort, rows, until_short=listed), one_plan=True)


def _late_lookup(keys, sort, rows, count=None, until_short=None):
    """rows of the page whose keys keys (a select of the sort's columns) starts with,
    each with how many rows the list holds up to the count's cap: count (SQL for it), or
    else the page's offset and the length of one walk from its first row to the cap.
    until_short (SQL): one more column, its value when the walk stopped short of the cap,
    else NULL (PostgreSQL runs it only then)."""
    limit = sa.bindparam("page_limit")
    if count is not None:
        return rows(keys.limit(limit).cte("page_keys")).add_columns(count)
    # One walk from the page's first row to the cap gives both the keys (its first rows)
    # and the count. Counted from the first row of the list apart from the keys, page 200
    # walked the 4,000 entries before it twice, and the list's filters were planned twice.
    walk = keys.limit(sa.bindparam("walk_cap")).cte("page_walk")
    keys = sa.select(*walk.c).order_by(*sort.order(walk.c)).limit(limit).cte("page_keys")
    walked = sa.select(sa.func.count()).select_from(walk).scalar_subquery()
    page = rows(keys).add_columns(sa.bindparam("page_offset") + walked)
    if until_short is not None:
        page = page.add_columns(sa.case((walked < sa.bindparam("walk_cap"), until_short)))
    return page


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
        # The first page is the top of the list whatever key it names.
        by_key = page > 1 and listing.sort is not None
        if by_key and after is not None:
            walked = listing.rows_after_walked
            rows = _walked_first(listing, walked, values | after, cap - offset, cap)
            if rows is None:
                rows = db.session.execute(listing.rows_after, values | after).all()
        elif by_key and before is not None:
            rows = db.session.execute(listing.rows_before, values | before).all()
            self.short = not rows or rows[0][-2] < per_page
        else:
            rows = _walked_first(listing, listing.rows_walked, values, cap, cap)
            if rows is None:
                rows = db.session.execute(_typed_page_rows(listing, offset), values).all()
        self.items = [row[0] for row in rows[:per_page]]
        self.has_next = len(rows) > per_page
        # The keys of the rows next to the pages before and after this one.
        self.next_after = self.prev_before = None
        if listing.sort is not None and self.items:
            if self.has_next:
                self.next_after = listing.sort.key_text(self.items[-1])
            if page > 2:
                self.prev_before = listing.sort.key_text(self.items[0])
        # Past the end (or nothing at all), the count alone says where the end is.
        seen = (
            rows[0][-1] if rows else (db.session.scalar(listing.count, values) if page > 1 else 0)
        )
        self.seen = seen
        self.more = seen >= cap
        self.total = None if self.more else seen
        self.pages = math.ceil(seen / per_page)

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
