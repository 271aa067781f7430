"""The page for an emailed link that cannot be used, shared by every feature that mails one."""

from webapp.web.forms import EmailOnlyForm
from webapp.web.htmx import render


def link_problem(error, purpose):
    """The page for a link that cannot be used, saying why and what to do next."""
    return render(
        "auth/link_problem.html",
        "auth/_link_problem.html",
        status=400,
        reason=error.reason,
        purpose=purpose,
        # An expired or used link still names its account: spare them typing the address.
        form=EmailOnlyForm(formdata=None, email=error.token.user.email if error.token else None),
    )
