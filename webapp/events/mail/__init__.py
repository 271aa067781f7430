"""Event email: who receives it and sending it (sending.py), the reactions to what happens
to events and answers (notify.py), the reminder a day before (reminders.py), each
person's choice of which event emails to get (settings.py; its views are sections of the
settings page, settings_views.py), and turning one kind off from the email itself
(unsubscribe.py, unsubscribe_views.py)."""


def attach_views():
    """Import the modules whose routes attach to the settings (see webapp.events.attach_views)."""
    from webapp.events.mail import settings_views, unsubscribe_views  # noqa: F401
