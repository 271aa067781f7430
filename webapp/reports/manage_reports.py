"""The organisers' queue of a group's reports: the open cases (the reports of one thing
together), each with what can be done: hide a comment, remove the person behind it from
the group, dismiss, or pass it up to the site admins. The manage blueprint has loaded
g.group and checked the user manages it; each action then loads an open report of it."""

from flask import g, url_for

from webapp.reports import manage
from webapp.reports.access import managed_report
from webapp.reports.deciding import SHARED_ACTIONS, decide
from webapp.reports.queries import open_cases_of
from webapp.reports.services import pass_up
from webapp.web.forms import EmptyForm
from webapp.web.htmx import render
from webapp.web.translating import gettext as _

ACTIONS = {
    **SHARED_ACTIONS,
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
    back = url_for("reports.manage.queue", slug=g.group.slug)
    return decide(report, action, ACTIONS, queue_page, back)
