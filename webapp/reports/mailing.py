"""Report email: a new case to the group's organisers (or, past them, to the site
admins), and the outcome to each reporter. Each goes only to those whose profile's
switch ("Email me about my groups and events") is on, with its one-click unsubscribe.
A reporter's email names neither the other reporters nor how many there were."""

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.accounts.tokens import ALL_NOTIFICATIONS, unsubscribe_url
from webapp.extensions import db
from webapp.groups.models import Membership
from webapp.groups.queries import managers_in
from webapp.outbox import mail
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import lazy_gettext as _l

WANTS_MAIL = (User.email_notifications.is_(True), User.active.is_(True))


def _send(user, subject, template, **context):
    mail.send_template(
        user.email,
        subject,
        template,
        language=language_of(user),
        user=user,
        unsubscribe_url=unsubscribe_url(user, ALL_NOTIFICATIONS),
        **context,
    )


def mail_organisers(report):
    """The group's owners and organisers hear of a new case (not its reporter)."""
    managers = db.session.scalars(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(*managers_in(report.group_id), *WANTS_MAIL, User.id != report.reporter_id)
    )
    url = public_url.absolute_url("reports.manage.queue", slug=report.group.slug)
    for manager in managers:
        _send(
            manager,
            _l("Something in %(group)s was reported", group=report.group.name),
            "reports/new_report",
            report=report,
            group=report.group,
            url=url,
            for_admins=False,
        )


def mail_admins(report):
    """The site admins hear of a case that reached them."""
    admins = db.session.scalars(sa.select(User).where(User.is_site_admin.is_(True), *WANTS_MAIL))
    url = public_url.absolute_url("admin.reports")
    for admin in admins:
        _send(
            admin,
            _l("Something in %(group)s was reported to the site admins", group=report.group.name),
            "reports/new_report",
            report=report,
            group=report.group,
            url=url,
            for_admins=True,
        )


def mail_outcome(report):
    """The reporter learns what became of their report."""
    reporter = report.reporter
    if reporter is None or not reporter.active or not reporter.email_notifications:
        return
    _send(
        reporter,
        _l("Your report in %(group)s was looked at", group=report.group.name),
        "reports/outcome",
        report=report,
        group=report.group,
        url=public_url.absolute_url("reports.mine"),
    )
