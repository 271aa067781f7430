"""Sign up, verify, log in and out, recover a password."""

import hmac

from flask import after_this_request, current_app, flash, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user, login_user, logout_user

from webapp.accounts.links import link_problem
from webapp.accounts.sessions import close_session, open_session
from webapp.accounts.tokens import TokenError, check_token
from webapp.auth import bp
from webapp.auth.forms import LoginForm, ResetPasswordForm, SignupForm
from webapp.auth.services import (
    AuthError,
    authenticate,
    request_password_reset,
    resend_verification,
    reset_password,
    sign_up,
    verify_email,
)
from webapp.database.unit_of_work import RuleError, refuse
from webapp.groups.queries import latest_group_of
from webapp.web.forms import EmailOnlyForm, EmptyForm
from webapp.web.htmx import redirect_to, render, render_form
from webapp.web.ratelimits import rate_limited
from webapp.web.redirects import safe_next
from webapp.web.translating import gettext as _


@bp.route("/signup", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_SIGNUP", per_address=True)
def signup():
    """Create an account and email its verification link."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    # An invitation link prefills the address it was sent to.
    form = SignupForm(data={"email": request.args.get("email", "")[:320]})
    if form.validate_on_submit():
        try:
            # The language they read the form in becomes their setting: the verification
            # email, the first thing Hearth sends them, is in it.
            user = sign_up(
                form.email.data,
                form.first_name.data,
                form.last_name.data,
                form.password.data,
                language=str(get_locale()),
                time_zone=form.time_zone.data,
            )
        except RuleError as error:
            refuse(error, form)
        else:
            session["pending_email"] = session["signed_up_as"] = user.email
            return redirect_to(url_for("auth.check_inbox"))
    return render_form("auth/signup.html", "auth/_signup_form.html", form)


@bp.get("/signup/check-your-inbox")
def check_inbox():
    """Tell a new member where the link went and offer to send it again."""
    email = session.get("pending_email")
    form = EmailOnlyForm(data={"email": email})
    return render("auth/check_inbox.html", "auth/_resend_form.html", email=email, form=form)


@bp.route("/verify/<token>", methods=["GET", "POST"], endpoint="verify_email")
def verify_email_link(token):
    """GET shows a button; the POST verifies, so mail scanners that fetch links use nothing."""
    try:
        if request.method == "GET":
            check_token(token, "verify_email")
            return render("auth/verify.html", "auth/_verify.html", form=EmptyForm(), token=token)
        form = EmptyForm()
        if not form.validate_on_submit():
            return render(
                "auth/verify.html", "auth/_verify.html", status=422, form=form, token=token
            )
        user = verify_email(token)
    except TokenError as error:
        return link_problem(error, "verify_email")
    # The browser that signed up (not one that only asked for a resend) needs no login step.
    if session.get("signed_up_as") == user.email and user.active:
        log_in(user)
        flash(
            _(
                "Your email address is confirmed. Welcome to Hearth, %(name)s!",
                name=user.first_name,
            ),
            "success",
        )
        group = latest_group_of(user)
        return redirect_to(
            url_for("groups.detail", slug=group.slug) if group else url_for("main.home")
        )
    flash(_("Your email address is confirmed. You can log in now."), "success")
    session["login_email"] = user.email
    return redirect_to(url_for("auth.login"))


RETURNING_COOKIE = "hearth_returning"


def log_in(user, remember=False):
    """Open a fresh session; the greeting says Welcome back only if one came before."""
    # Sessions end at logout, so a cookie remembers who has logged in on this browser before:
    # a keyed hash per account, never the id itself, the last five accounts at most.
    mark = hmac.new(str(current_app.secret_key).encode(), str(user.id).encode(), "sha256")
    mark = mark.hexdigest()[:16]
    marks = [m for m in request.cookies.get(RETURNING_COOKIE, "").split(".") if m]
    first_visit = not user.sessions and mark not in marks

    @after_this_request
    def remember_returning(response):
        secure = current_app.config.get("SESSION_COOKIE_SECURE", False)
        value = ".".join([mark, *(m for m in marks if m != mark)][:5])
        response.set_cookie(
            RETURNING_COOKIE,
            value,
            max_age=400 * 86400,
            secure=secure,
            httponly=True,
            samesite="Lax",
        )
        return response

    # A new session at every login: nothing planted before it survives.
    session.clear()
    session["first_visit"] = first_visit
    open_session(user, request.user_agent.string or "")
    login_user(user, remember=remember)
    return first_visit


@bp.route("/verify/resend", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EMAIL", per_address=True)
def resend():
    """Send a new verification link, without saying whether the address has an account."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        resend_verification(form.email.data)
        flash(
            _(
                "If %(email)s has an account waiting for confirmation, a new link is on its way.",
                email=form.email.data,
            ),
            "success",
        )
        session["pending_email"] = form.email.data
        return redirect_to(url_for("auth.check_inbox"))
    return render_form("auth/resend.html", "auth/_resend_form.html", form)


@bp.route("/login", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_LOGIN", per_address=True)
def login():
    """Log in with email and password, in a fresh session."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(data={"email": session.get("login_email")})
    unverified_email = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except AuthError as error:
            refuse(error, form)
            if error.field == "unverified":
                unverified_email = error.user.email
        else:
            first_visit = log_in(user, remember=form.remember.data)
            if first_visit:
                greeting = _("Welcome, %(name)s.", name=user.first_name)
            else:
                greeting = _("Welcome back, %(name)s.", name=user.first_name)
            flash(greeting, "success")
            return redirect_to(safe_next(request.args.get("next")))
    return render_form(
        "auth/login.html",
        "auth/_login_form.html",
        form,
        unverified_email=unverified_email,
        resend_form=EmailOnlyForm(),
    )


@bp.post("/logout")
def logout():
    """End this session everywhere a copy of its cookie may be."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect_to(url_for("main.home"))
    if current_user.is_authenticated:
        close_session(current_user.current_session_token)
    # Clear first: logout_user leaves a note in the session that deletes the remember cookie.
    session.clear()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect_to(url_for("main.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EMAIL", per_address=True)
def forgot_password():
    """Email a reset link, without saying whether the address has an account."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        flash(
            _(
                "If %(email)s belongs to an account, a link to reset its password is on its "
                "way. It works for one hour.",
                email=form.email.data,
            ),
            "success",
        )
        return redirect_to(url_for("auth.login"))
    return render_form("auth/forgot_password.html", "auth/_forgot_password_form.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"], endpoint="reset_password")
@rate_limited("RATE_LIMIT_LOGIN")
def reset_password_link(token):
    """Choose a new password from an emailed link; every session of the account ends."""
    form = ResetPasswordForm()
    try:
        check_token(token, "reset_password")
        if form.validate_on_submit():
            reset_password(token, form.password.data)
            session.clear()
            logout_user()
            flash(_("Your password is changed. Log in with the new one."), "success")
            return redirect_to(url_for("auth.login"))
    except TokenError as error:
        return link_problem(error, "reset_password")
    return render_form(
        "auth/reset_password.html", "auth/_reset_password_form.html", form, token=token
    )
