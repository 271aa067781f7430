"""Rules of signing up, verifying an address, logging in and resetting a password."""

import contextlib

from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import User, normalize_email
from webapp.accounts.passwords import burn_password_check, check_password, hash_password
from webapp.accounts.queries import find_user_by_email
from webapp.accounts.sessions import close_other_sessions
from webapp.accounts.signals import email_verified
from webapp.accounts.tokens import TokenError, redeem_token, send_link, void_links
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.jobs import app_context, enqueue_after_commit
from webapp.outbox import mail
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


class AuthError(RuleError):
    """A rule of accounts said no; user is who it concerns, when the page needs to know."""

    def __init__(self, message, field=None, user=None):
        super().__init__(message, field)
        self.user = user


def sign_up(email, first_name, last_name, password, language=None, time_zone="UTC"):
    """Create an unverified account and queue its verification email, in language (the
    one the visitor was reading: they have chosen none yet, and the email follows it).

    An address that answered events as a guest becomes the account when its link is
    followed (claim_guest): until the address is proven, nothing of the guest's changes,
    so a stranger signing up with it neither renames them nor reaches their answers."""
    existing = find_user_by_email(email)
    if existing is not None and existing.is_guest:
        claim = {
            "first_name": first_name,
            "last_name": last_name,
            "password_hash": hash_password(password),
            "language": language,
            "time_zone": time_zone,
        }
        send_link(
            existing,
            "verify_email",
            "auth.verify_email",
            _l("Confirm your email address"),
            details=claim,
        )
        return existing
    if existing is not None:
        raise AuthError(_("An account with this email address already exists."), "email")
    user = User(
        email=email,
        email_normalized=normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        password_hash=hash_password(password),
        language=language,
        time_zone=time_zone,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        # Two sign-ups for one address raced; the other one won.
        raise AuthError(_("An account with this email address already exists."), "email") from None
    send_verification(user)
    return user


def send_verification(user):
    send_link(user, "verify_email", "auth.verify_email", _l("Confirm your email address"))


# Forgot password and resend verification must not tell, by how long they take, whether an
# address has an account: the request only queues a job naming the address, and the job
# looks it up and mails. Both paths of the request do exactly the same work.


def resend_verification(email):
    """Queue a fresh link for an unverified account with this address, if there is one."""
    enqueue_after_commit("webapp.auth.services.send_verification_job", email)


def request_password_reset(email):
    """Queue a reset link for an active account with this address, if there is one."""
    enqueue_after_commit("webapp.auth.services.send_password_reset_job", email)


@contextlib.contextmanager
def _job_context():
    # A fresh app context: a database session of the job's own, committed here, even when
    # the job runs inside the request's commit hook (no Redis). The request context lets
    # the mail's links be built outside a real request, on the app's public address: the
    # one the browser used when the job runs inside its request, else BASE_URL.
    with app_context() as app, app.test_request_context(base_url=public_url.base_url()):
        yield
        db.session.commit()


def send_verification_job(email):
    """Job: email a new verification link if an unverified, active account has email (a
    guest has none: signing up again sends theirs)."""
    with _job_context():
        user = find_user_by_email(email)
        if user is not None and not user.is_verified and user.active and not user.is_guest:
            send_verification(user)


def send_password_reset_job(email):
    """Job: email a reset link if an active account has email (a guest has no password)."""
    with _job_context():
        user = find_user_by_email(email)
        if user is not None and user.active and not user.is_guest:
            send_link(
                user, "reset_password", "auth.reset_password", _l("Reset your Hearth password")
            )


def verify_email(signed_token):
    token = redeem_token(signed_token, "verify_email")
    user = token.user
    # A guest's address was proven by their answer's link, but the account is new now.
    becomes_member = user.email_verified_at is None or user.is_guest
    if user.is_guest:
        claim_guest(user, token.details)
    if becomes_member:
        user.email_verified_at = utcnow()
        email_verified.send(user)
    return user


def claim_guest(guest, claim):
    """A guest's row becomes the account signed up for with its address (claim: what the
    sign-up form gave): the same row, so every answer, waitlist place and check-in of
    theirs is the member's own, with no duplicate to merge."""
    if not claim:
        raise TokenError("unknown")
    guest.first_name = claim["first_name"]
    guest.last_name = claim["last_name"]
    guest.password_hash = claim["password_hash"]
    guest.language = claim["language"]
    guest.time_zone = claim["time_zone"]
    guest.is_guest = False


def authenticate(email, password):
    """The user for these credentials, or AuthError that does not tell which part was wrong."""
    user = find_user_by_email(email)
    if user is None or user.is_guest:
        burn_password_check(password)
        raise AuthError(_("The email address or password is incorrect."))
    if not check_password(user.password_hash, password):
        raise AuthError(_("The email address or password is incorrect."))
    if not user.active:
        raise AuthError(_("This account has been deactivated. Contact the site administrators."))
    if not user.is_verified:
        raise AuthError(_("Confirm your email address before logging in."), "unverified", user)
    return user


def reset_password(signed_token, new_password):
    """Set a new password from a reset link and end every session of that user."""
    token = redeem_token(signed_token, "reset_password")
    user = token.user
    user.password_hash = hash_password(new_password)
    # Following the emailed link proves the address as well as a verification link would.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        email_verified.send(user)
    close_other_sessions(user)
    # The redeemed link is used already; any other reset or verification link dies too.
    void_links(user)
    mail.send_template(
        user.email,
        _l("Your Hearth password was changed"),
        "password_changed",
        language=language_of(user),
        user=user,
    )
    return user
