"""The footer's choice of language: a cookie for anyone, and the setting of a member."""

from flask import current_app, redirect, render_template, request
from flask_login import current_user

from webapp.accounts.services import set_language
from webapp.main import bp
from webapp.main.forms import MAX_NEXT, LanguageForm
from webapp.web.languages import LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE
from webapp.web.redirects import safe_next


@bp.route("/language", methods=["GET", "POST"])
def language():
    """GET: the languages to choose from; POST: remember the choice and go back."""
    form = LanguageForm(data={"next": request.args.get("next", "")[:MAX_NEXT]})
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("main/language.html", form=form), status
    code = form.language.data
    if current_user.is_authenticated:
        # A member's setting comes before the cookie: the footer changes it too.
        set_language(current_user, code)
    response = redirect(safe_next(form.next.data), 303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
