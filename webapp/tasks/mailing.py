"""Task email: a task given to someone by an organiser (task_assigned, one of the event
mail kinds in the settings). Never for a task one takes or gives oneself."""

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.accounts.tokens import unsubscribe_url
from webapp.events.calendar.ics import event_page_url
from webapp.events.mail.models import EventMailKind
from webapp.events.mail.sending import KIND_NAMES, links_context, still_sees
from webapp.events.mail.settings import wants_event_mail
from webapp.extensions import db
from webapp.outbox import mail
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import lazy_gettext as _l

KIND = EventMailKind.TASK_ASSIGNED


def mail_assignment(task, event, actor):
    """Email task's assignee that actor gave it to them, if they want such mail and may
    see the event; returns whether one was written to the outbox."""
    assignee = db.session.scalar(
        sa.select(User).where(
            User.id == task.assignee_id, wants_event_mail(KIND), still_sees(event.group)
        )
    )
    if assignee is None:
        return False
    with links_context():
        mail.send_template(
            assignee.email,
            _l("A task for you: %(task)s (%(event)s)", task=task.title, event=event.title),
            "tasks/assigned",
            language=language_of(assignee),
            user=assignee,
            actor=actor,
            task=task,
            event=event,
            group=event.group,
            tasks_url=public_url.absolute_url(
                "tasks.event_tasks", event_id=event.id, _anchor=f"task-{task.id}"
            ),
            event_url=event_page_url(event),
            settings_url=public_url.absolute_url("accounts.settings", _anchor="event-mail"),
            kind_name=KIND_NAMES[KIND],
            unsubscribe_url=unsubscribe_url(assignee, KIND.value),
        )
    return True
