"""The helpers tests compare pages with: what they blank, and what they leave alone."""

from tests.support.html_checks import without_csrf_tokens


def test_two_renders_of_a_page_differ_only_in_their_csrf_tokens(app):
    """Two sessions get different tokens (as one session does a second later): the htmx
    header and every hidden token field are blanked, so the pages compare equal."""
    first, second = (app.test_client().get("/login").get_data(as_text=True) for _ in range(2))

    assert first != second
    assert without_csrf_tokens(first) == without_csrf_tokens(second)


def test_blanking_keeps_everything_else(app):
    page = '<input id="email" name="email" type="email" value="ann@example.org">'

    assert without_csrf_tokens(page) == page
