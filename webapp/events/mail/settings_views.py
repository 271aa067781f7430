"""Settings for events: which event emails to get, and the private calendar feed address.
Two sections of the settings page (accounts.views.SETTINGS), with their own addresses."""

from flask_login import current_user, login_required

from webapp.accounts import bp
from webapp.accounts.views import SETTINGS, saved, settings_page
from webapp.events.calendar.feeds import feed_url, renew_feed
from webapp.events.mail.settings import (
    CalendarFeedForm,
    EventMailForm,
    mail_form_for,
    save_mail_choices,
)
from webapp.web.panels import add_panel
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


@add_panel(
    SETTINGS, "event-mail", "events/mail/_settings_form.html", order=40, title=_l("Event emails")
)
def event_mail_section(user, given):
    return {} if "event_mail_form" in given else {"event_mail_form": mail_form_for(user)}


@add_panel(
    SETTINGS, "calendar", "events/calendar/_feed_settings.html", order=50, title=_l("Calendar feed")
)
def calendar_section(user, given):
    fresh = {"feed_url": feed_url(user)}
    if "calendar_form" not in given:
        fresh["calendar_form"] = CalendarFeedForm(formdata=None)
    return fresh


@bp.route("/settings/event-mail", methods=["GET", "POST"])
@login_required
def event_mail():
    """Choose, kind by kind, which emails about events to get."""
    form = EventMailForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return settings_page("event-mail", status, event_mail_form=form)
    save_mail_choices(current_user, form.chosen_kinds())
    return saved(
        "event-mail",
        _("Your event email choices are saved."),
        event_mail_form=mail_form_for(current_user),
    )


@bp.route("/settings/calendar-feed", methods=["GET", "POST"])
@login_required
def calendar_feed():
    """Make a new private calendar address; the old one stops working at once."""
    form = CalendarFeedForm()
    if not form.validate_on_submit():
        return settings_page("calendar", 422 if form.is_submitted() else 200, calendar_form=form)
    renew_feed(current_user)
    return saved(
        "calendar",
        _(
            "Your calendar feed has a new address. The old one no longer works: "
            "subscribe again with the new one."
        ),
    )
