"""The pages a balancer answers with when no web machine did (502, 503 and 504), or when it
refused a request too large to pass on (413): for a person who posted a form without
JavaScript, or opened a page, as a machine died. With JavaScript, static/js/app.js says
the same in the page itself.

A balancer cannot ask Hearth for them when Hearth is what is missing, so `flask
balancer-pages DIRECTORY` writes them at deploy time, in the site's language: each as an
HTML file (nginx's error_page) and as a whole HTTP answer (HAProxy's errorfile). The page
needs no file of Hearth's: its style is in it, allowed by its hash.
"""

import base64
import hashlib
from http import HTTPStatus
from pathlib import Path

from flask import current_app

from webapp.web.languages import default_language, in_language, known_language

# A request larger than the balancer takes never reaches Hearth, which would have said so
# itself (with its own, lower limit); the others are for a machine that did not answer.
TOO_LARGE = 413
STATUSES = (TOO_LARGE, 502, 503, 504)
STYLE = Path(__file__).with_name("balancer_page.css").read_text(encoding="utf-8")
# HAProxy reads an errorfile into one buffer (tune.bufsize, 16 KiB unless set), headers
# included, and refuses to start with one that does not fit.
HAPROXY_BUFFER = 16 * 1024


def balancer_page(status, language=None):
    """The page for status, in language (the site's default when None)."""
    # Straight from the environment: the context processors read a request and its member,
    # and this page has neither.
    with in_language(language):
        template = current_app.jinja_env.get_template("errors/balancer.html")
        return template.render(style=STYLE, too_large=status == TOO_LARGE)


def content_security_policy():
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )


def whole_answer(status, page, language):
    """The page as the whole HTTP answer HAProxy's errorfile sends as it is."""
    body = page.encode()
    head = [
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
        "Content-Type: text/html; charset=utf-8",
        f"Content-Length: {len(body)}",
        f"Content-Language: {language}",
        f"Content-Security-Policy: {content_security_policy()}",
        "Cache-Control: no-store",
        "X-Content-Type-Options: nosniff",
        "Connection: close",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def write_balancer_pages(directory, language=None):
    """Write <status>.html and <status>.http for each status into directory, in language
    (the site's default when None); the paths written."""
    language = known_language(language) or default_language()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for status in STATUSES:
        page = balancer_page(status, language)
        answer = whole_answer(status, page, language)
        if len(answer) > HAPROXY_BUFFER:
            raise ValueError(f"the {status} answer is larger than HAProxy's buffer")
        for path, content in (
            (directory / f"{status}.html", page.encode()),
            (directory / f"{status}.http", answer),
        ):
            path.write_bytes(content)
            written.append(path)
    return written
