"""The page for an emailed link that cannot be used, shared by every feature that mails one."""

from webapp.web.forms import EmailOnlyForm
from webapp.web.htmx import render


def link_problem(error, purpose, retry_url=None):
    """The page for a link that cannot be used, saying why and what to do next (retry_url:
    where to start again, for a purpose of another feature's)."""
    return render(
        "auth/link_problem.html",
        "auth/_link_problem.html",
        status=400,
        reason=error.reason,
        purpose=purpose,
        retry_url=retry_url,
        # An expired or used link still names its account: spare them typing the address.
        form=EmailOnlyForm(formdata=None, email=error.token.user.email if error.token else None),
    )
