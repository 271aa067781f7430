"""A file's size as the page's language says it: "140 bytes", "1.2 MB", "1,2 MB"."""

from babel.units import format_unit
from flask_babel import get_locale

# Powers of 1000, as the sizes people see on their computers (and Jinja's filesizeformat).
_UNITS = (
    (1000**4, "digital-terabyte"),
    (1000**3, "digital-gigabyte"),
    (1000**2, "digital-megabyte"),
    (1000, "digital-kilobyte"),
)


def file_size(num_bytes):
    """num_bytes in the largest unit it fills, to one decimal, in the request's locale."""
    locale = get_locale()
    for size, unit in _UNITS:
        if num_bytes >= size:
            return format_unit(
                round(num_bytes / size, 1), unit, length="short", format="#,##0.#", locale=locale
            )
    # Whole bytes read best in words: "1 byte", "140 bytes".
    return format_unit(num_bytes, "digital-byte", length="long", locale=locale)
