"""Door passes: what a person going shows at the door, a QR code of a link that their
event's organisers open to check them in with one tap.

The link names the event and the person, signed with the site's secret under its own
salt: it needs no row, cannot be made for someone else, and one event's pass is no pass
at another. It lasts as long as the answer: scanned when its person no longer goes, the
door says so and checks nobody in.
"""

import io

import segno
from markupsafe import Markup, escape

from webapp.events.person_links import PersonLinks
from webapp.web import public_url

_PASSES = PersonLinks("hearth.door-pass")
# Dark on light whatever the theme: scanners read that best, and the quiet zone is light.
DARK, LIGHT = "#111827", "#ffffff"


def pass_token(event_id, user_id):
    return _PASSES.token(event_id, user_id)


def person_of_pass(token, event_id):
    """The id of the person whose pass token is for event_id; None for a tampered token or
    another event's."""
    return _PASSES.person_of(token, event_id)


def scan_url(event_id, user_id):
    """The absolute link a pass's QR code holds (the organisers' scan page)."""
    return public_url.absolute_url(
        "events.checkin.scan", event_id=event_id, token=pass_token(event_id, user_id)
    )


def _code(url):
    # Medium error correction: a scratched phone screen or a creased printout still reads.
    return segno.make_qr(url, error="m")


def qr_svg(url, label):
    """The QR code of url as inline SVG, an image named label for screen readers."""
    svg = _code(url).svg_inline(scale=6, dark=DARK, light=LIGHT, svgclass="door-pass-code")
    named = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    # segno's own SVG (modules as one path, nothing of the request's in it) and an
    # escaped label: safe as it is.
    # nosemgrep: markup-of-a-variable
    return Markup(named)  # noqa: S704  # nosec B704


def qr_png(url):
    """The QR code of url as PNG bytes, for an email's inline image."""
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=6, dark=DARK, light=LIGHT)
    return out.getvalue()
