"""The admin's view of mail and jobs: the outbox by state, with each message's error,
and the failed jobs of other kinds; retry or discard either, so nothing is lost unseen.
Below the outbox, the latest sends to many (announcements), each with its messages
counted by state."""

import re

from flask import abort, request, url_for

from webapp.admin import bp
from webapp.admin.manage_site import confirmation
from webapp.admin.queries import BULK_STATES, outbox_listing, recent_bulk_sends
from webapp.admin.services import discard_email, discard_job, retry_email, retry_job
from webapp.jobs import failed_jobs
from webapp.outbox.models import OutboxState
from webapp.outbox.queries import get_message
from webapp.web.htmx import render, wants_fragment
from webapp.web.pagination import paginate
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l

PER_PAGE = 25
SHOWN_STATES = (OutboxState.FAILED, OutboxState.PENDING, OutboxState.SENT, OutboxState.DISCARDED)
JOB_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
# Each action: (rule, question, explanation, button, done); question and done are whole
# sentences made for the email (its subject and recipient) or the job's id.
EMAIL_ACTIONS = {
    "retry": (
        retry_email,
        lambda message: _(
            "Retry the email “%(subject)s” to %(recipient)s?",
            subject=message.subject,
            recipient=message.recipient,
        ),
        _l("Send it again, with a fresh set of attempts."),
        _l("Retry"),
        lambda message: _("Retry: the email to %(recipient)s.", recipient=message.recipient),
    ),
    "discard": (
        discard_email,
        lambda message: _(
            "Discard the email “%(subject)s” to %(recipient)s?",
            subject=message.subject,
            recipient=message.recipient,
        ),
        _l("It will not be sent; the row stays as a record."),
        _l("Discard"),
        lambda message: _("Discard: the email to %(recipient)s.", recipient=message.recipient),
    ),
}
JOB_ACTIONS = {
    "retry": (
        retry_job,
        lambda job_id: _("Retry the failed job %(job)s?", job=job_id),
        _l("Put it back on its queue, to run again."),
        _l("Retry"),
        lambda job_id: _("Retry: job %(job)s.", job=job_id),
    ),
    "discard": (
        discard_job,
        lambda job_id: _("Discard the failed job %(job)s?", job=job_id),
        _l("It is forgotten for good."),
        _l("Discard"),
        lambda job_id: _("Discard: job %(job)s.", job=job_id),
    ),
}


@bp.get("/outbox")
def outbox():
    """Emails by state (failed first), with the last error of each; and the sends to many."""
    state = request.args.get("state", OutboxState.FAILED.value)
    if state not in [s.value for s in SHOWN_STATES]:
        abort(404)
    page = paginate(outbox_listing(state), per_page=PER_PAGE)
    return render(
        "admin/outbox.html",
        "admin/_outbox.html",
        page=page,
        state=OutboxState(state),
        states=SHOWN_STATES,
        # A tab swaps the list of emails alone: only the whole page shows the sends.
        bulk_sends=[] if wants_fragment() else recent_bulk_sends(),
        bulk_states=BULK_STATES,
    )


@bp.route("/outbox/<int:message_id>/<any(retry, discard):action>", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_ADMIN_MAIL", per_user=True)
def email_action(message_id, action):
    """Retry or discard a pending or failed email."""
    message = get_message(message_id) or abort(404)
    act, question, explanation, button, done = EMAIL_ACTIONS[action]
    back = url_for("admin.outbox", state=message.state.value)
    return confirmation(
        lambda actor: act(actor, message_id),
        question(message),
        explanation,
        button,
        done(message),
        back,
    )


@bp.get("/jobs")
def jobs():
    """Jobs that failed after all their retries, newest first, with their error."""
    return render("admin/jobs.html", "admin/_jobs.html", jobs=failed_jobs())


@bp.route("/jobs/<job_id>/<any(retry, discard):action>", methods=["GET", "POST"])
def job_action(job_id, action):
    """Retry or discard a failed job."""
    if not JOB_ID.fullmatch(job_id):
        abort(404)
    act, question, explanation, button, done = JOB_ACTIONS[action]
    back = url_for("admin.jobs")
    return confirmation(
        lambda actor: act(actor, job_id), question(job_id), explanation, button, done(job_id), back
    )
