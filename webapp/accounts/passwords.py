"""Password rules and hashing."""

import re

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 128
# zxcvbn scores 0 and 1 mean fewer than a million guesses: the common passwords and their
# obvious variants (P@ssw0rd1!, Qwerty123!) that the character rules alone let through.
MIN_STRENGTH_SCORE = 2

# Compared against when no user matches, so a failed login takes as long either way.
_DUMMY_HASHES = {}


def password_problems(password, user_inputs=()):
    """Everything wrong with a new password, as sentences; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    missing = [
        label
        for pattern, label in (
            (r"[a-z]", "a lower-case letter"),
            (r"[A-Z]", "an upper-case letter"),
            (r"\d", "a digit"),
            (r"[^A-Za-z0-9]", "a special character such as ! or #"),
        )
        if not re.search(pattern, password)
    ]
    if missing:
        listed = (
            missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        )
        problems.append(f"Include {listed}.")
    if not problems:
        # zxcvbn refuses more than 72 characters unless told; we accept up to MAX_LENGTH.
        inputs = [u for u in user_inputs if u]
        score = zxcvbn(password, user_inputs=inputs, max_length=MAX_LENGTH)["score"]
        if score < MIN_STRENGTH_SCORE:
            problems.append("This password is too common or too easy to guess.")
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
