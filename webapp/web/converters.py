"""URL converters that refuse, by not matching, what the database cannot hold."""

from werkzeug.routing import IntegerConverter

# PostgreSQL's integer (every id column here) ends at 2**31 - 1, and ids start at 1.
MAX_ID = 2_147_483_647


class IdConverter(IntegerConverter):
    """`<int:...>` bounded to 1..MAX_ID and ASCII digits: anything else is a 404.

    An id past PostgreSQL's integer would reach the database and fail there (a 500); a
    negative or zero id cannot exist. Python's \\d also matches other scripts' digits.
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_converters(app):
    """Before any route is added: a rule picks its converter when it is added to the map."""
    app.url_map.converters["int"] = IdConverter
