"""A long-lived process made ready before its first request or job: a gunicorn worker
(webapp/gunicorn_conf.py) and the job worker, which forks each job (webapp/jobs.py)."""

import gc

from flask import Flask

from webapp.templating import compile_all_templates


def warm_up(app: Flask):
    compile_all_templates(app)
    freeze_loaded_objects()


def freeze_loaded_objects():
    """Keep what is loaded by now (modules, templates, the models' metadata: some 170,000
    objects) out of the cycle collector's full passes. Those objects live as long as the
    process; a full pass walked them all, and on this machine took 80-110 ms of a worker
    every few thousand requests, in the middle of whichever request set it off, the
    answer holding an event's row included (a rush of 50 answers lasts about 0.25 s).
    Frozen, a full pass walks what came later: 2-7 ms. In a process that forks (the job
    worker), a child's collections no longer touch the frozen objects either, so fewer of
    the memory pages it shares with its parent are copied (the gc module's documentation
    advises freezing before a fork for that reason)."""
    gc.collect()
    gc.freeze()
