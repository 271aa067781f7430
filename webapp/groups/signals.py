"""Moments other features react to, without groups knowing about them."""

from blinker import Namespace

_signals = Namespace()

# Sent with the group as sender and user= the person, once they are no longer a member
# (they left, or were removed), inside the request's transaction and under the group's
# lock: what receivers write (answers dropped) commits or rolls back with it.
member_left = _signals.signal("member-left")
