"""The digest's section of the settings page (accounts.views.SETTINGS), with its own address."""

from flask_login import current_user, login_required

from webapp.accounts import bp
from webapp.accounts.views import SETTINGS, saved, settings_page
from webapp.digest.forms import EMAIL
from webapp.digest.settings import digest_form_for, posted_digest_form, save_digest_choices
from webapp.web.panels import add_panel
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


@add_panel(SETTINGS, "digest", "digest/_settings_form.html", order=45, title=_l("Digest"))
def digest_section(user, given):
    return {} if "digest_form" in given else {"digest_form": digest_form_for(user)}


@bp.route("/settings/digest", methods=["GET", "POST"])
@login_required
def digest():
    """How often the digest comes, and which groups it covers."""
    form = posted_digest_form(current_user)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return settings_page("digest", status, digest_form=form)
    save_digest_choices(
        current_user, form.frequency.data, form.groups.data or [], form.talk.data or EMAIL
    )
    return saved(
        "digest", _("Your digest choices are saved."), digest_form=digest_form_for(current_user)
    )
