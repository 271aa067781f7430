"""A person's own door pass: the QR code they show at the door of an event they go to."""

from flask import abort, render_template
from flask_login import current_user, login_required

from webapp.events.access import get_event
from webapp.events.checkin import bp
from webapp.events.checkin.passes import qr_svg, scan_url
from webapp.events.checkin.queries import scanned_state
from webapp.web.translating import gettext as _


@bp.get("")
@login_required
def show(event_id):
    """The pass of the person going (404 to anyone else: there is no pass of theirs)."""
    event = get_event(event_id)
    state = scanned_state(event, current_user.id)
    if not state.going or event.is_cancelled:
        abort(404)
    code = qr_svg(
        scan_url(event.id, current_user.id),
        _("Door pass of %(name)s for %(title)s", name=current_user.name, title=event.title),
    )
    return render_template("events/checkin/pass.html", event=event, state=state, code=code)
