"""The outbox: every email is a row written with the change that causes it, then delivered.

models.py holds the row and its states, services.py the writes (add, claim, deliver),
recovery.py the sweep and an admin's retry and discard, queries.py the reads, transport.py
the SMTP or local-folder send.
"""


def init_outbox(app):
    """Sweep the outbox with every sweep (first: it sends what the others queued), and
    count what waits in it on /metrics."""
    from webapp.jobs import register_sweep
    from webapp.operations.metrics import register_gauges
    from webapp.outbox.gauges import outbox_gauges
    from webapp.outbox.jobs import sweep_outbox

    register_sweep(app, "outbox", sweep_outbox)
    register_gauges(app, outbox_gauges)
