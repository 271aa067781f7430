"""Rules for changing one's own profile, password and email address. They flush and
raise RuleError; the request commits."""

from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import normalize_email
from webapp.accounts.passwords import check_password, hash_password
from webapp.accounts.queries import find_user_by_email
from webapp.accounts.sessions import close_other_sessions
from webapp.accounts.signals import renamed
from webapp.accounts.tokens import redeem_token, send_link, void_links
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.outbox import mail
from webapp.web.languages import language_of
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


def update_profile(
    user, first_name, last_name, time_zone, appearance, email_notifications, language=None
):
    """Store the profile's choices; language None: the browser's (and email the site's)."""
    named_anew = (first_name, last_name) != (user.first_name, user.last_name)
    user.first_name = first_name
    user.last_name = last_name
    user.time_zone = time_zone
    user.appearance = appearance
    user.email_notifications = email_notifications
    user.language = language
    if named_anew:
        renamed.send(user)


def set_language(user, language):
    """Read Hearth and its email in language (one of LANGUAGES), as chosen in the footer."""
    user.language = language


def change_password(user, current_password, new_password):
    """Set a new password after checking the old one; every other session of user ends."""
    if not check_password(user.password_hash, current_password):
        raise RuleError(_("The current password is incorrect."), "current_password")
    user.password_hash = hash_password(new_password)
    close_other_sessions(user, keep_token=user.current_session_token)
    void_links(user)
    mail.send_template(
        user.email,
        _l("Your Hearth password was changed"),
        "password_changed",
        language=language_of(user),
        user=user,
    )


def request_email_change(user, new_email, current_password):
    """Email a confirmation link to the new address; nothing changes until it is followed.

    The answer is the same whether or not the address has an account, so the form tells
    nobody who is registered; an address already in use gets a notice instead of a link.
    """
    if not check_password(user.password_hash, current_password):
        raise RuleError(_("The current password is incorrect."), "current_password")
    if normalize_email(new_email) == user.email_normalized:
        raise RuleError(_("This is already your email address."), "email")
    owner = find_user_by_email(new_email)
    if owner is not None:
        mail.send_template(
            owner.email,
            _l("Someone tried to use your address on Hearth"),
            "email_change_blocked",
            language=language_of(owner),
            user=owner,
            new_email=owner.email,
        )
        return
    send_link(
        user,
        "change_email",
        "accounts.confirm_email_change",
        _l("Confirm your new email address"),
        new_email=new_email,
    )


def taken():
    return _("Another account started using this address in the meantime.")


def confirm_email_change(signed_token):
    """Move the account to the address the link was sent to, and tell the old address."""
    token = redeem_token(signed_token, "change_email")
    user = token.user
    if find_user_by_email(token.new_email) is not None:
        raise RuleError(taken())
    old_email = user.email
    try:
        # Two accounts confirming the same address at once both pass the check above;
        # the unique index decides, and the loser hears why instead of seeing a 500.
        with db.session.begin_nested():
            user.email = token.new_email
            user.email_normalized = normalize_email(token.new_email)
            user.email_verified_at = utcnow()
    except IntegrityError:
        raise RuleError(taken()) from None
    void_links(user)
    mail.send_template(
        old_email,
        _l("Your Hearth email address was changed"),
        "email_changed",
        language=language_of(user),
        user=user,
        old_email=old_email,
        new_email=user.email,
    )
    return user
