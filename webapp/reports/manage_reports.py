"""The organisers' queue of a group's reports: the open cases (the reports of one thing
together), each with what can be done: hide a comment, remove the person behind it from
the group, dismiss, or pass it up to the site admins. The manage blueprint has loaded
g.group and checked the user manages it; each action then loads an open report of it."""

from flask import flash, g, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.reports import manage
from webapp.reports.access import managed_report
from webapp.reports.naming import subject_name
from webapp.reports.queries import open_cases_of
from webapp.reports.services import dismiss_report, hide_reported, pass_up, remove_reported
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.translating import gettext as _

ACTIONS = {
    "hide": (hide_reported, lambda name: _("Hidden: %(thing)s.", thing=name)),
    "remove": (
        remove_reported,
        lambda name: _("The person behind %(thing)s is no longer a member.", thing=name),
    ),
    "dismiss": (dismiss_report, lambda name: _("Dismissed: %(thing)s.", thing=name)),
    "pass-up": (
        pass_up,
        lambda name: _("Passed up to the site admins: %(thing)s.", thing=name),
    ),
}


def queue_page(status=200):
    cases, total = open_cases_of(g.group)
    return render(
        "reports/manage/queue.html",
        "reports/manage/_queue.html",
        status=status,
        group=g.group,
        cases=cases,
        total=total,
        form=EmptyForm(),
    )


@manage.get("")
def queue():
    """The group's open reports, the oldest case first."""
    return queue_page()


@manage.post("/<int:report_id>/<any(hide, remove, dismiss, 'pass-up'):action>")
def act(report_id, action):
    """Decide a case: the queue again (htmx), or back to it with a message."""
    report = managed_report(report_id)
    act_on, done = ACTIONS[action]
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
        return queue_page(status)
    return redirect_to(url_for("reports.manage.queue", slug=g.group.slug))
