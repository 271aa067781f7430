"""One way to read `page` and `per_page` from a request and page a query with them.

Both are read bounded: a value that is not a whole number falls back to its default, one
out of bounds is clamped (a page past the end shows the last page), so no request can
ask the database for an offset it cannot hold.
"""

import re

from flask import request

from webapp.extensions import db

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100
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


def paginate(statement, per_page=20, max_per_page=MAX_PER_PAGE):
    """statement paged by the request's `page` and `per_page`; past the end, the last page."""
    page_number = bounded_arg("page", 1, 1, MAX_PAGE)
    size = bounded_arg("per_page", per_page, 1, max_per_page)
    page = db.paginate(statement, page=page_number, per_page=size, error_out=False)
    if page.pages and page_number > page.pages:
        page = db.paginate(statement, page=page.pages, per_page=size, error_out=False)
    # The pager's links keep a page size the visitor chose, and only then.
    page.link_args = {"per_page": size} if size != per_page else {}
    return page
