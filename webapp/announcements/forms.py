"""Input validation for announcements: what is said, to whom and when. Whether the time is
in the future and the group still has sends left this week are rules (services.py)."""

from typing import NamedTuple

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.announcements.models import BODY_MAX, SUBJECT_MAX, Delivery
from webapp.events.forms import LocalTimeField
from webapp.events.rsvp.models import Answer
from webapp.web.forms import SectionForm
from webapp.web.translating import lazy_gettext as _l

NOW, LATER = "now", "later"


class AnnouncementText(NamedTuple):
    subject: str
    body: str
    answers: tuple  # for an event's people: the answers it goes to
    send_at_local: object  # a naive local time, or None for now
    public: bool = False  # anyone may read it once it goes


class AnnouncementForm(FlaskForm):
    subject = StringField(
        _l("Subject"),
        validators=[DataRequired(_l("Write a subject.")), Length(max=SUBJECT_MAX)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    body = TextAreaField(
        _l("Message"),
        description=_l("Markdown: **bold**, *italic*, lists and links."),
        validators=[DataRequired(_l("Write the message.")), Length(max=BODY_MAX)],
    )
    to_going = BooleanField(Answer.GOING.label)
    to_maybe = BooleanField(Answer.MAYBE.label)
    to_waitlisted = BooleanField(Answer.WAITLISTED.label)
    when = RadioField(
        _l("When"),
        choices=[SelectChoice(NOW, _l("Send now")), SelectChoice(LATER, _l("At a time"))],
        default=NOW,
    )
    send_at = LocalTimeField(_l("Send at"), validators=[Optional()])
    public = BooleanField(
        _l("Public: anyone may read it"),
        description=_l(
            "Its page opens to everyone once it goes, and the group's public news feed carries it."
        ),
    )

    def __init__(self, *args, for_event=False, may_be_public=False, **kwargs):
        """may_be_public: a public group's announcement to the whole group."""
        super().__init__(*args, **kwargs)
        self.for_event = for_event
        if not for_event:
            del self.to_going, self.to_maybe, self.to_waitlisted
        if for_event or not may_be_public:
            del self.public

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Here, not inline: Optional() ends the field's own checks when it is empty.
        if self.when.data == LATER and self.send_at.data is None and not self.send_at.errors:
            self.send_at.errors = [*self.send_at.errors, _l("Choose when it goes.")]
            valid = False
        if self.for_event and not (
            self.to_going.data or self.to_maybe.data or self.to_waitlisted.data
        ):
            self.to_going.errors = [*self.to_going.errors, _l("Choose who it goes to.")]
            valid = False
        return valid

    def text(self):
        answers = ()
        if self.for_event:
            chosen = (self.to_going.data, self.to_maybe.data, self.to_waitlisted.data)
            audience = (Answer.GOING, Answer.MAYBE, Answer.WAITLISTED)
            answers = tuple(answer for answer, on in zip(audience, chosen, strict=True) if on)
        later = self.when.data == LATER
        return AnnouncementText(
            self.subject.data,
            self.body.data,
            answers,
            self.send_at.data if later else None,
            public=bool("public" in self and self.public.data),
        )


class DeliveryForm(SectionForm):
    """How a member takes one group's announcements."""

    section = "announcements"
    delivery = SelectField(
        _l("Announcements of this group"),
        choices=[SelectChoice(value, label) for value, label in Delivery.choices()],
    )

    def validate_delivery(self, field):
        if field.data not in Delivery.values():
            raise ValidationError(_l("Choose one of the list."))
