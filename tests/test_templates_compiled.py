"""Processes that serve pages or run jobs compile every template when they start: a web
worker before its first request (gunicorn's post_worker_init), the job worker before it
forks a job. The first answer to an event compiled its six email templates on the spot
(about 25 ms, while it held the event's row); a forked job compiled its own each time."""

from types import SimpleNamespace

import pytest
import redis

from tests.other_apps import app_like
from webapp import gunicorn_conf, jobs
from webapp.templating import compile_all_templates


def compiled(app):
    return {name for _loader, name in app.jinja_env.cache}


def every_template(app):
    names = set(app.jinja_env.list_templates())
    # Pages, fragments and emails: a sample of each kind.
    assert {"base.html", "events/_rsvp_panel.html", "email/events/going.txt"} <= names
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


@pytest.mark.redis
def test_the_job_worker_compiles_every_template_before_it_forks_a_job(app, monkeypatch):
    with app_like(app) as fresh:
        monkeypatch.setattr(jobs, "worker_app", lambda: fresh)
        connection = redis.Redis.from_url(fresh.config["REDIS_URL"])
        try:
            worker = jobs.HearthWorker([fresh.config["QUEUE_NAME"]], connection=connection)
            assert worker.app is fresh
            assert compiled(fresh) == every_template(fresh)
        finally:
            connection.close()
