"""A long-lived process made ready before its first request or job: a gunicorn worker
(webapp/operations/gunicorn_conf.py) and the job worker, which forks each job
(webapp/jobs/worker.py)."""

import gc

from flask import Flask

from webapp.web.templating import compile_all_templates


def warm_up(app: Flask):
    compile_all_templates(app)
    freeze_loaded_objects()


def freeze_loaded_objects():
    """Keep what is loaded by now (modules, templates, the models' metadata: most of the
    process's objects) out of the cycle collector's full passes. Those objects live as
    long as the process; a full pass walked them all, now and then, in the middle of
    whichever request set it off, the answer holding an event's row included, and long
    enough to be felt in a rush of answers. Frozen, a full pass walks only what came
    later. In a process that forks (the job worker), a child's collections no longer
    touch the frozen objects either, so fewer of the memory pages it shares with its
    parent are copied (the gc module's documentation advises freezing before a fork for
    that reason)."""
    gc.collect()
    gc.freeze()
