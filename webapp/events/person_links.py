"""Lasting links that name one person at one event: signed with the site's secret under a
salt of their own use, so they need no row, cannot be made for someone else, and one
event's link is nothing at another. What they let their holder do is the using feature's
(a door pass, a guest's own answer)."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer


class PersonLinks:
    """Tokens naming (event, person) under salt."""

    def __init__(self, salt):
        self.salt = salt

    def _serializer(self):
        return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=self.salt)

    def token(self, event_id, user_id):
        return self._serializer().dumps([event_id, user_id])

    def person_of(self, token, event_id):
        """The id of the person a token names at event_id; None for a tampered token or
        another event's."""
        try:
            payload = self._serializer().loads(token)
        except BadSignature:
            return None
        match payload:
            case [int(for_event), int(user_id)] if for_event == event_id:
                return user_id
        return None
