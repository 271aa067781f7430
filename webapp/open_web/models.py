"""The versions of the public feeds (webapp.open_web.versions): the site's, and
each group's."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db

# The scope of the site's feeds; a group's is its id.
SITE = 0


class FeedVersion(db.Model):
    """A moment in microseconds, moved on (never back) by every change a feed of scope
    may show. A table of its own, not a column of groups: it is written last in a
    transaction, so an edit of an event never waits on its group's row while a change of
    the group waits on the event's (their locks would be taken in opposite orders)."""

    __tablename__ = "feed_versions"

    # SITE, or a group's id (no foreign key: groups are never deleted, only marked so).
    scope: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger)
