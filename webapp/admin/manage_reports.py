"""The site admins' reports: every waiting case of every group (those passed up, those
about an organiser, and the open ones), with the organisers' actions and deactivating
the account of the person behind the thing. Each action is a POST with its token that
answers the list again (htmx) or goes back to it with a message; a refusal is 422."""

from flask import abort, url_for

from webapp.admin import bp
from webapp.admin.services import deactivate_user
from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.reports.deciding import SHARED_ACTIONS, decide
from webapp.reports.models import Report
from webapp.reports.queries import waiting_cases
from webapp.reports.services import person_behind, resolve_deactivated
from webapp.web.forms import EmptyForm
from webapp.web.htmx import render
from webapp.web.translating import gettext as _


def deactivate_reported(actor, report):
    """Deactivate the person behind the thing, and resolve the case so."""
    person = person_behind(report)
    if person is None:
        raise RuleError(_("This person's account no longer exists."))
    decided = resolve_deactivated(actor, report)
    deactivate_user(actor, person)
    return decided


ACTIONS = {
    **SHARED_ACTIONS,
    "deactivate": (
        deactivate_reported,
        lambda name: _("The account of the person behind %(thing)s is deactivated.", thing=name),
    ),
}


def reports_page(status=200):
    cases, total = waiting_cases()
    return render(
        "admin/reports.html",
        "admin/_reports.html",
        status=status,
        cases=cases,
        total=total,
        form=EmptyForm(),
    )


@bp.get("/reports")
def reports():
    """Every group's waiting reports, the oldest case first."""
    return reports_page()


@bp.post("/reports/<int:report_id>/<any(hide, remove, dismiss, deactivate):action>")
def report_action(report_id, action):
    """Decide a case as a site admin."""
    report = db.session.get(Report, report_id)
    if report is None or not report.is_waiting:
        abort(404)
    return decide(report, action, ACTIONS, reports_page, url_for("admin.reports"))
