"""Addresses of one endpoint that differ in a value or two, for lists: url_for once, not
per row.

url_for is not cheap, and a list with its pager called it for every row and page link:
a noticeable share of the page. url_for_each builds the address once with stand-in
values, cuts it where they stand, and then only puts each row's values in between.
"""

import re
from urllib.parse import quote

from flask import url_for

# Whole numbers any converter here takes (ids are bounded to PostgreSQL's integer), and
# that an address holds by chance about never; when one does, the list falls back to
# url_for per row.
_STAND_INS = (2147480011, 2147480023, 2147480037)
# As Werkzeug's converters quote a path segment (BaseConverter.to_url); a whole number,
# the other values here (page numbers, ids), reads the same quoted or not.
_PATH_SEGMENT_SAFE = "!$&'()*+,/:;=@"
# What quote leaves as it is anyway (slugs, numbers): not worth its call on every row.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def url_for_each(endpoint, *names, **values):
    """A function of len(names) values: url_for(endpoint, **dict(zip(names, those)), **values).

    For values in a path segment (a slug), or whole numbers anywhere (an id, a page).
    """
    stand_ins = dict(zip(names, _STAND_INS[: len(names)], strict=True))
    address = url_for(endpoint, **stand_ins, **values)
    marks = [str(number) for number in stand_ins.values()]
    if any(address.count(mark) != 1 for mark in marks):
        return lambda *row: url_for(endpoint, **dict(zip(names, row, strict=True)), **values)

    # The pieces between the stand-ins, and which value goes after each piece.
    order = sorted(range(len(marks)), key=lambda index: address.index(marks[index]))
    pieces = re.split("|".join(marks[index] for index in order), address)
    last = pieces.pop()

    def build(*row):
        parts = []
        for piece, index in zip(pieces, order, strict=True):
            text = str(row[index])
            if not _UNQUOTED.fullmatch(text):
                text = quote(text, safe=_PATH_SEGMENT_SAFE)
            parts += (piece, text)
        parts.append(last)
        return "".join(parts)

    return build
