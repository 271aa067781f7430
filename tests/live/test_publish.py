"""A version kept in its row and published to the live topic (webapp.live.publish...):
the topic only ever moves up, so two changes whose publications cross leave it on the
later one; and a change rolled back publishes nothing."""

import sqlalchemy as sa

from webapp import live
from webapp.database.redis_client import get_redis
from webapp.extensions import db

KEY = live.topic("test", "published", 1)


def shown(key=KEY):
    version, until = get_redis().hmget(key, [live.VERSION, live.UNTIL])
    return (version.decode() if version else None), (float(until) if until else None)


def test_a_published_version_moves_up_never_down(app_context):
    get_redis().delete(KEY)
    live.publish(KEY, 5)
    assert shown() == ("5", None)
    live.publish(KEY, 3)
    assert shown() == ("5", None)
    live.publish(KEY, 1_795_000_000_000_007, until=1_800_000_000)
    assert shown() == ("1795000000000007", 1_800_000_000.0)
    assert 0 < get_redis().ttl(KEY) <= live.KEEP_SECONDS


def test_versions_from_the_clock_compare_as_numbers_not_as_text(app_context):
    get_redis().delete(KEY)
    live.publish(KEY, 999_999)
    live.publish(KEY, 1_000_000)
    assert shown()[0] == "1000000"


def test_a_publication_waits_for_the_commit_and_a_rollback_drops_it(app_context):
    get_redis().delete(KEY)
    db.session.execute(sa.text("SELECT 1"))  # a transaction, as a change has
    live.publish_after_commit(KEY, 12)
    assert shown() == (None, None)
    db.session.rollback()
    db.session.commit()
    assert shown() == (None, None)

    live.publish_after_commit(KEY, 12, until=1_800_000_000)
    db.session.commit()
    assert shown() == ("12", 1_800_000_000.0)
