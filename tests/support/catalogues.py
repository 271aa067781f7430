"""The compiled translation catalogues for a run of pytest on its own, as `make test`
builds them first (`make catalogues`): each .mo that is missing or older than its .po,
written whole (another process may be reading it)."""

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def compile_stale_catalogues(directory=TRANSLATIONS):
    """Compile each messages.po under directory whose messages.mo is missing or older."""
    for source in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as po:
            catalog = read_po(po, locale=source.parts[-3])
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as mo:
            write_mo(mo, catalog)
        os.replace(temporary, target)
