"""Where a form may send someone back to: a path on this site, never another site."""

import re

from flask import url_for


def safe_next(target):
    """Only a path on this site; never //elsewhere or a full URL."""
    # Judge the address as a browser reads it: control characters such as a tab dropped
    # ("/<tab>/evil.example" is "//evil.example"), a backslash taken for a slash.
    target = re.sub(r"[\x00-\x1f\x7f]", "", target or "").strip().replace("\\", "/")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")
