"""The one Redis connection of a process: real Redis when REDIS_URL is set, else in-process."""

import functools

import redis
from flask import current_app


def init_redis(app):
    url = app.config["REDIS_URL"]
    if url:
        # A Redis that is away must cost a request little: its mail waits in the outbox.
        app.extensions["redis"] = redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=2
        )
    else:
        app.extensions["redis"] = _in_process_redis()


def _in_process_redis():
    # fakeredis is imported only for the embedded default: a web or worker process given a
    # real Redis never loads it, and loading it is a good part of such a process's start.
    import fakeredis

    return fakeredis.FakeRedis(server=_in_process_server())


@functools.cache
def _in_process_server():
    """One in-process Redis for every app of the process, as a real one would be."""
    import fakeredis

    return fakeredis.FakeServer()


def get_redis():
    return current_app.extensions["redis"]
