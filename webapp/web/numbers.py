"""Numbers as the page's language writes them: 30,000 in English, 30.000 in Spanish.

A count is shown on many rows of a list and is nearly always below a thousand, where no
language groups its digits: those skip Babel's formatting, which reads the locale's
pattern on every call.
"""

from flask_babel import format_decimal
from flask_babel.speaklater import LazyString


def number_text(value):
    """value (an int or a float) with the digits grouped and the decimal sign of the
    page's (or the email's) language."""
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)
    return format_decimal(value)


def lazy_number(value):
    """value, written in the language of wherever it is shown: for a message made at
    import time (`_l("At most %(most)s people.", most=lazy_number(MAX_CAPACITY))`)."""
    return LazyString(number_text, value)
