"""Processes that serve pages or run jobs get ready when they start
(webapp/operations/warm_up.py): a web worker before its first request (gunicorn's
post_worker_init), the job worker before it forks a job. They compile every template:
otherwise the first answer to an event compiled its email templates on the spot, while it
held the event's row, and a forked job compiled its own each time. Then they freeze what
they loaded: the collector's full passes walked all of it, in whichever request set one
off."""

import gc
from types import SimpleNamespace

import pytest
import redis

from tests.support.other_apps import app_like
from webapp.jobs import worker as worker_module
from webapp.operations import gunicorn_conf
from webapp.web.templating import compile_all_templates


@pytest.fixture(autouse=True)
def unfrozen():
    """What a test froze (the whole test process) is the collector's again afterwards."""
    yield
    gc.unfreeze()


def compiled(app):
    return {name for _loader, name in app.jinja_env.cache}


def every_template(app):
    names = set(app.jinja_env.list_templates())
    # Pages, fragments and emails: a sample of each kind.
    assert {"base.html", "events/rsvp/_panel.html", "email/events/going.txt"} <= names
    return names


def test_every_template_compiles(app):
    with app_like(app) as fresh:
        assert compiled(fresh) == set()
        compile_all_templates(fresh)
        assert compiled(fresh) == every_template(fresh)


def test_a_web_worker_compiles_every_template_before_its_first_request(app):
    with app_like(app) as fresh:
        gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=fresh))
        assert compiled(fresh) == every_template(fresh)


def out_of_full_passes(thing):
    """Whether a full pass of the collector leaves thing unwalked."""
    return gc.is_tracked(thing) and not any(found is thing for found in gc.get_objects())


def test_a_web_worker_freezes_what_it_loaded_before_its_first_request(app):
    with app_like(app) as fresh:
        gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=fresh))
        panel = fresh.jinja_env.get_template("events/rsvp/_panel.html")
        assert out_of_full_passes(panel)
        assert out_of_full_passes(fresh.url_map)
        # What the requests make later is walked as before.
        later = ["made after"]
        assert gc.is_tracked(later)
        assert not out_of_full_passes(later)


@pytest.mark.redis
def test_the_job_worker_compiles_every_template_before_it_forks_a_job(app, monkeypatch):
    with app_like(app) as fresh:
        monkeypatch.setattr(worker_module, "worker_app", lambda: fresh)
        connection = redis.Redis.from_url(fresh.config["REDIS_URL"])
        try:
            worker = worker_module.HearthWorker([fresh.config["QUEUE_NAME"]], connection=connection)
            assert worker.app is fresh
            assert compiled(fresh) == every_template(fresh)
            assert out_of_full_passes(fresh.url_map)
        finally:
            connection.close()
