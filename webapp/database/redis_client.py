"""The one Redis connection of a process: real Redis when REDIS_URL is set, else in-process."""

import fakeredis
import redis
from flask import current_app

_fake_server = fakeredis.FakeServer()


def init_redis(app):
    url = app.config["REDIS_URL"]
    if url:
        # A Redis that is away must cost a request little: its mail waits in the outbox.
        app.extensions["redis"] = redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=2
        )
    else:
        app.extensions["redis"] = fakeredis.FakeRedis(server=_fake_server)


def get_redis():
    return current_app.extensions["redis"]
