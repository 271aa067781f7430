"""Answers that are the same for everyone and change only with a version of
webapp.open_web.versions: the feeds and the embedded lists of events.

Each answers 304 to a reader who has the version already (ETag, Last-Modified), and a
new reader with the copy this process kept for it, so an unchanged answer costs the one
statement that read the version. The day is part of the version: as days pass, events
leave what an answer shows with no change of their own. No session is read or made: a
shared cache may keep the answer for max_age seconds."""

from datetime import UTC, datetime, time

from flask import Response, current_app, request
from werkzeug.http import is_resource_modified

from webapp.database.times import utcnow
from webapp.web.kept import KeptValues
from webapp.web.languages import default_language, in_language

# The answers each web process keeps, by what they show and their version.
_kept = KeptValues(512)


def reader_language():
    """The reader's language by Accept-Language alone (a calendar app or another site's
    page sends no cookie of ours, and a shared cache tells copies apart by that header)."""
    languages = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(languages) or default_language()


def version_moment(version):
    """The moment a version (microseconds since 1970, UTC) stands for."""
    return datetime.fromtimestamp(version / 1_000_000, UTC)


def versioned_answer(version, shows, make, mimetype, max_age, headers=None):
    """The answer make() writes (in the reader's language) for what it shows (a tuple
    naming it: the address and its arguments), at version; or 304."""
    language = reader_language()
    today = utcnow().date()
    etag = f"{version}-{today.isoformat()}-{language}"
    last_modified = max(version_moment(version), datetime.combine(today, time(), UTC))
    headers = {
        "Cache-Control": f"public, max-age={max_age}",
        "Vary": "Accept-Language",
        **(headers or {}),
    }
    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = Response(status=304, headers=headers)
    else:

        def written():
            with in_language(language):
                return make(language, last_modified)

        # A site with no version yet (nothing written since the versions came) keeps nothing.
        key = (shows, language, version, today)
        body = _kept.get(key, written) if version else written()
        response = Response(body, mimetype=mimetype, headers=headers)
    response.set_etag(etag)
    response.last_modified = last_modified
    return response
