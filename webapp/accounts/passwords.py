"""Password rules and hashing."""

import re

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l
from webapp.web.translating import ngettext

MIN_LENGTH = 8
MAX_LENGTH = 128
# zxcvbn scores 0 and 1 mean fewer than a million guesses: the common passwords and their
# obvious variants (P@ssw0rd1!, Qwerty123!) that the character rules alone let through.
MIN_STRENGTH_SCORE = 2
# A long passphrase of plain words is strong by its length (NIST SP 800-63B advises against
# composition rules): one this long that zxcvbn rates its best (4: at least ten billion
# guesses) needs no capitals, digits or symbols. "password password" rates 3 and is refused.
PASSPHRASE_LENGTH = 15
PASSPHRASE_SCORE = 4
# What the password fields say under them.
PASSWORD_HINT = _l(
    "At least %(min_length)d characters, with upper and lower case, a digit and a special "
    "character; or a passphrase of %(passphrase_length)d characters or more that is hard to "
    "guess, such as a few unrelated words.",
    min_length=MIN_LENGTH,
    passphrase_length=PASSPHRASE_LENGTH,
)

# Compared against when no user matches, so a failed login takes as long either way.
_DUMMY_HASHES = {}


def _strength(password, user_inputs):
    # zxcvbn refuses more than 72 characters unless told; we accept up to MAX_LENGTH.
    inputs = [u for u in user_inputs if u]
    return zxcvbn(password, user_inputs=inputs, max_length=MAX_LENGTH)["score"]


def _missing_kinds(password):
    return [
        label
        for pattern, label in (
            (r"[a-z]", _("a lower-case letter")),
            (r"[A-Z]", _("an upper-case letter")),
            (r"\d", _("a digit")),
            (r"[^A-Za-z0-9]", _("a special character such as ! or #")),
        )
        if not re.search(pattern, password)
    ]


def _listed(kinds):
    """The missing kinds as one phrase: "a digit, a capital and a symbol"."""
    if len(kinds) == 1:
        return kinds[0]
    # TRANSLATORS: the end of a list of what a password lacks; first is "a, b" already.
    return _("%(first)s and %(last)s", first=", ".join(kinds[:-1]), last=kinds[-1])


def password_problems(password, user_inputs=()):
    """Everything wrong with a new password, as sentences; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(
            ngettext(
                "Use at least %(num)d character.", "Use at least %(num)d characters.", MIN_LENGTH
            )
        )
    if len(password) > MAX_LENGTH:
        problems.append(
            ngettext(
                "Use at most %(num)d character.", "Use at most %(num)d characters.", MAX_LENGTH
            )
        )
    # Estimated at most once (zxcvbn is the costly part), and only when it decides.
    is_passphrase = PASSPHRASE_LENGTH <= len(password) <= MAX_LENGTH
    score = _strength(password, user_inputs) if is_passphrase else None
    if is_passphrase and score >= PASSPHRASE_SCORE:
        return problems
    if missing := _missing_kinds(password):
        listed = _listed(missing)
        if is_passphrase:
            problems.append(
                _(
                    "Include %(kinds)s, or choose a passphrase that is harder to guess.",
                    kinds=listed,
                )
            )
        else:
            problems.append(_("Include %(kinds)s.", kinds=listed))
    if not problems:
        if score is None:
            score = _strength(password, user_inputs)
        if score < MIN_STRENGTH_SCORE:
            problems.append(_("This password is too common or too easy to guess."))
    return problems


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password(password_hash, password):
    return check_password_hash(password_hash, password)


def burn_password_check(password):
    """Spend the time of a real check when there is no user, to not reveal who exists."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not-a-real-password", method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
