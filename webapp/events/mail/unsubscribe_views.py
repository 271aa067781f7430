"""The one-click unsubscribe address that notification email carries (RFC 8058).

A mail program POSTs "List-Unsubscribe=One-Click" to it, with no cookie and no CSRF
token: the signed token in the address is the credential, so this one view is exempt
from CSRF. A GET only shows a page with a button, so that a link scanner that opens
every link in a message turns nothing off.
"""

from flask import abort, request

from webapp.accounts import bp
from webapp.events.mail.unsubscribe import unsubscribe, unsubscribe_for
from webapp.extensions import csrf
from webapp.web.htmx import render


# A mail program's one-click POST (RFC 8058) carries no cookie and no CSRF token: the
# signed address is the credential, and it only turns its one person's kind of mail off.
# nosemgrep: csrf-exempt
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"], endpoint="unsubscribe")
@csrf.exempt  # nosemgrep: csrf-exempt
def unsubscribe_page(token):
    """Ask before turning a kind of mail off (GET); turn it off (POST, a mail program's
    one click or the page's button)."""
    subscription = unsubscribe_for(token)
    if subscription is None:
        abort(404)
    done = request.method == "POST"
    if done:
        unsubscribe(subscription)
    response = render(
        "events/mail/unsubscribe.html",
        "events/mail/_unsubscribe.html",
        subscription=subscription,
        token=token,
        done=done,
    )
    # The address is the credential: never sent on as a referrer, never indexed.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
