"""The error page's wait in words, as a person says it: Babel's duration in the page's
language, in the plural form the number needs, rounded to the unit that matters
(webapp.web.errors.render_error renders templates/errors/)."""

import re

import pytest

from webapp.web.errors import render_error


def wait_of(app, seconds):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        page = render_error(429, retry_after=seconds).get_data(as_text=True)
    return re.search(r"<p>(Try again in [^<]*)</p>", page).group(1)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "Try again in 1 second."),
        (2, "Try again in 2 seconds."),
        (90, "Try again in 2 minutes."),
        (119, "Try again in 2 minutes."),
        (3588, "Try again in 1 hour."),
        (3600, "Try again in 1 hour."),
    ],
)
def test_the_wait_reads_right(app, seconds, words):
    assert wait_of(app, seconds) == words
