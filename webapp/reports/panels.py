"""What reports add to other features' pages (webapp/web/panels.py): a way to report an
event on its page, and "Your reports" in the settings."""

from flask_login import current_user

from webapp.accounts.views import SETTINGS
from webapp.reports.access import can_report_event
from webapp.web.panels import add_panel
from webapp.web.translating import lazy_gettext as _l


@add_panel("events.detail", "report", "reports/_event_link.html", order=90)
def event_report_link(event):
    """A link to report the event, for its group's members (no query: the membership is
    read with the event)."""
    return {
        "can_report_event": current_user.is_authenticated and can_report_event(current_user, event)
    }


@add_panel(SETTINGS, "reports", "reports/_settings_link.html", order=80, title=_l("Your reports"))
def settings_link(user, given):
    return {}
