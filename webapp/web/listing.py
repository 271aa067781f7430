"""A list's statement with the statements paging runs, built once (Listing).

A page costs one query whatever the size of the table: its rows (one more than it
shows, which answers "is there a next page"), each carrying a count that stops a few
pages past this one. An exact COUNT(*) of a big table grew with the data; people rarely
jump more than a few pages ahead, and the pager says "at least" when it has not counted
them all. A list paged by its keys (a Sort) reads a page by a late row lookup: an index
walked for the keys alone, then only the page's rows. webapp.web.pagination picks the
statement a request needs and reads the page.
"""

import sqlalchemy as sa
from sqlalchemy.sql import visitors
from sqlalchemy.sql.util import ClauseAdapter

from webapp.database.setup import prepared

# How many pages past the current one a list's count looks for (Listing's lookahead_pages).
LOOKAHEAD_PAGES = 10


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
    (see webapp.database.setup.prepared), for a list whose test shows that plan as good as
    any. Not the count alone (a page past the end), which has no order to walk an index in.

    lookahead_pages: how many pages past the current one the count looks for; fewer for a
    list whose every row counted costs a row read and tested (a search's text).

    match (with sort): a filter added after the statement's own, the dearest to test (a
    search's text). walk_first (with match): a function of the values giving the share
    of rows expected to match (0 to 1), or None when it cannot tell. Given a share, a
    page read by number or by Next first walks the list without match in its order,
    reading at most the rows that share says it needs (pagination.WALK_FIRST_MARGIN
    times), and tests match on those alone, with one plan for every value (rows_walked,
    rows_after_walked). When that walk finds the page and the count's cap, those are the
    page's, exactly: the matches among the first rows of a list are its first matches;
    so they are when the rows it read were all the list had. Otherwise the statement
    runs as the database plans it for the values. A search planned for each word cost
    PostgreSQL as long as running it; planned once for all, it walked the list for a
    rare word too, which its trigram index finds at once.

    anchor (with an ascending sort; PostgreSQL only): a select of one row, start (a value
    of the sort's first column) and before (how many rows of the list come before start),
    for the furthest start with before at most :page_offset: a page typed by its number
    (from pagination.ANCHORED_FROM_OFFSET rows in) walks from there, skipping the rest,
    instead of walking every row before it (rows_anchored). It may name the list's top
    (0 before).

    whole_rows (without sort): a page's items are its rows as read (a select of plain
    columns, each row a list's line), not each row's first column (an object).
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
        whole_rows=False,
    ):
        _refuse_unfit_options(
            sort, rows, counted_apart, one_plan, match, walk_first, anchor, whole_rows
        )
        self.whole_rows = whole_rows
        # Read walking first for the match (walk_first), or None.
        self.walk_first = walk_first
        self.rows_walked = self.rows_after_walked = None
        if walk_first is not None:
            self._read_walking_first(statement, sort, rows, match)
        if match is not None:
            statement = statement.where(match)
        if sort is not None:
            statement = statement.order_by(None).order_by(*sort.order())
        self.statement = statement
        self.sort = sort
        self.lookahead_pages = lookahead_pages
        # Read from the key of a row next to the page (see _read_from_keys), or from the
        # list's anchor; None for a list without sort.
        self.rows_after = self.rows_before = self.rows_anchored = None
        # Which rows are counted does not matter, only how many: no ORDER BY, so the
        # database may stop at the cap in whatever order is cheapest. It rides along
        # with the rows as one more column: one round trip, not two.
        counted = statement.order_by(None).limit(sa.bindparam("count_cap")).subquery()
        self.count = sa.select(sa.func.count()).select_from(counted)
        if sort is None:
            self.rows = statement.offset(sa.bindparam("page_offset"))
            self.rows = self.rows.add_columns(self.count.scalar_subquery())
            self.rows = self.rows.limit(sa.bindparam("page_limit"))
            return
        self._read_by_late_lookup(statement, sort, rows, counted_apart)
        if anchor is not None:
            self._read_from_anchor(statement, sort, rows, anchor)
        if one_plan:
            self.rows, self.rows_after, self.rows_before, self.rows_anchored = (
                page if page is None else prepared(page, one_plan=True)
                for page in (self.rows, self.rows_after, self.rows_before, self.rows_anchored)
            )

    def _read_walking_first(self, statement, sort, rows, match):
        """The statements of a page read walking first for the match: by its number
        (rows_walked), and after a key (rows_after_walked)."""
        unmatched = statement.order_by(None)
        offset = sa.bindparam("page_offset")
        self.rows_walked = _walked_lookup(unmatched, sort, rows, match, offset)
        after = unmatched.where(sort.after())
        self.rows_after_walked = _walked_lookup(after, sort, rows, match)

    def _read_by_late_lookup(self, statement, sort, rows, counted_apart):
        """The statements of a page of a list paged by key: by its number (rows), and
        from a key (see _read_from_keys)."""
        # A late row lookup: the offset walks an index for the keys alone, then only this
        # page's rows are read. Reading every row before the offset, wide ones
        # (descriptions) included, made a page cost more the further in it was. The rows
        # are read by key alone: planning the list's filters a second time cost PostgreSQL
        # more than running them. They are joined to the keys, not looked up among them
        # (IN): a plain join is quicker to plan.
        keys = statement.with_only_columns(*sort.columns)
        count = self.count.scalar_subquery() if counted_apart else None
        self.rows = _late_lookup(keys.offset(sa.bindparam("page_offset")), sort, rows, count)
        self._read_from_keys(statement, sort, rows, count)

    def _read_from_anchor(self, statement, sort, rows, anchor):
        """The statement of a page typed far in (rows_anchored): from the list's anchor,
        skipping the rows before it."""
        anchor = anchor.cte("page_anchor")
        start = sa.select(anchor.c.start).scalar_subquery()
        before = sa.select(anchor.c.before).scalar_subquery()
        keys = statement.with_only_columns(*sort.columns).where(sort.columns[0] >= start)
        anchored = keys.offset(sa.bindparam("page_offset") - before)
        self.rows_anchored = _late_lookup(anchored, sort, rows)

    def _read_from_keys(self, statement, sort, rows, count=None):
        """The statements of a page read from a key, which do not walk the rows before
        it: the page's number says how many came before. A list counted apart still
        counts from the top: with the key in it, PostgreSQL could not tell how many rows
        a search of events left, and intersected two bitmaps of the whole table.

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


def _refuse_unfit_options(
    sort, rows, counted_apart, one_plan, match, walk_first, anchor, whole_rows
):
    """TypeError for options that do not go together (see Listing)."""
    if (sort is None) != (rows is None):
        raise TypeError("a late row lookup needs both sort and rows")
    if one_plan and sort is None:
        raise TypeError("one plan is for a list paged by key")
    if walk_first is not None and (match is None or sort is None or counted_apart):
        raise TypeError("a walk first is for a match in a list paged by key, counted on")
    if anchor is not None and (sort is None or sort.descending or counted_apart):
        raise TypeError("an anchor is for a list paged by an ascending key, counted on")
    if whole_rows and sort is not None:
        raise TypeError("whole rows are for a list paged by number")


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
    # and the count. Counted from the first row of the list apart from the keys, a page
    # far in walked the entries before it twice, and the list's filters were planned twice.
    walk = keys.limit(sa.bindparam("walk_cap")).cte("page_walk")
    keys = sa.select(*walk.c).order_by(*sort.order(walk.c)).limit(limit).cte("page_keys")
    walked = sa.select(sa.func.count()).select_from(walk).scalar_subquery()
    page = rows(keys).add_columns(sa.bindparam("page_offset") + walked)
    if until_short is not None:
        page = page.add_columns(sa.case((walked < sa.bindparam("walk_cap"), until_short)))
    return page
