"""The plain-text summary each card of the groups list shows, made when a description is saved.

Stripping the tags of the stored HTML and truncating it on every card was a noticeable
share of the list's time; it is now done once per write, exactly as the card did it
(Jinja's striptags, then truncate to 180 characters at a word boundary).
"""

from jinja2.filters import do_truncate
from markupsafe import Markup

SUMMARY_LENGTH = 180
# Jinja's default: a text up to this many characters past the length is kept whole.
SUMMARY_LEEWAY = 5


def summary_of(description_html):
    """The rendered description as one line of plain text, cut at about 180 characters."""
    # Markup only to reach striptags: its result is plain text, escaped again on output.
    # nosemgrep: markup-of-a-variable
    text = Markup(description_html or "").striptags()  # noqa: S704  # nosec B704
    # The environment only supplies a default leeway, given here.
    return do_truncate(None, text, SUMMARY_LENGTH, leeway=SUMMARY_LEEWAY)
