"""Markdown that people type, rendered to HTML that is safe to show to others."""

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# No javascript:, data: or any other scheme that runs or embeds something.
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    # Safe to mark: nh3 has removed every tag, attribute and scheme not allowed above.
    # nosemgrep: markup-of-a-variable
    return Markup(  # noqa: S704  # nosec B704
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow ugc",
        )
    )
