"""Deciding a case, as the organisers' queue and the site admins' page both do: the
actions each offers, and one answer for a decision (the list again for htmx, back to it
with a message otherwise; 422 when refused or the form's token is stale)."""

from flask import flash
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.reports.naming import subject_name
from webapp.reports.services import dismiss_report, hide_reported, remove_reported
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, wants_fragment
from webapp.web.translating import gettext as _

# What both may do: action -> (the rule, what is said once it is done, of the thing).
SHARED_ACTIONS = {
    "hide": (hide_reported, lambda name: _("Hidden: %(thing)s.", thing=name)),
    "remove": (
        remove_reported,
        lambda name: _("The person behind %(thing)s is no longer a member.", thing=name),
    ),
    "dismiss": (dismiss_report, lambda name: _("Dismissed: %(thing)s.", thing=name)),
}


def decide(report, action, actions, list_page, list_url):
    """Carry out actions[action] on report; list_page(status) renders the list."""
    act_on, done = actions[action]
    name = subject_name(report)
    status = 200
    if EmptyForm().validate_on_submit():
        try:
            act_on(current_user, report)
        except RuleError as error:
            refuse(error)
            status = 422
        else:
            flash(done(name), "success")
    else:
        flash(_("The form has expired: please try again."), "error")
        status = 422
    if wants_fragment() or status >= 400:
        return list_page(status)
    return redirect_to(list_url)
