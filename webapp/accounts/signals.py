"""Moments other features react to, without accounts knowing about them."""

from blinker import Namespace

_signals = Namespace()

# Sent with the user as sender once an address is proven, inside the request's transaction.
email_verified = _signals.signal("email-verified")

# Sent with the user as sender when their first or last name changes, inside the request's
# transaction.
renamed = _signals.signal("renamed")
