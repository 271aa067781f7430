"""Polls: questions a group (or one of its events) decides by voting, with live results.
The poll page, voting and the results' live part are views.py; the organisers' actions
(options, closing, who voted what) are manage_polls.py, under a nested blueprint that
loads and authorises the poll before any view runs."""

from flask import Blueprint, g

from webapp.web.manage import authorised_blueprint

bp = Blueprint("polls", __name__)


def load_managed_poll(values):
    """Every manage view gets g.poll, already checked: log in first, 404 to those who may
    not see the poll, 403 to those who may see but not manage it."""
    from webapp.polls.access import can_manage_poll, get_poll

    g.poll = get_poll(values.pop("poll_id"), need=can_manage_poll)


manage = authorised_blueprint("manage", __name__, "/polls/<int:poll_id>/manage", load_managed_poll)


bp.register_blueprint(manage)


@bp.record_once
def register_sweeps_and_gauges(state):
    """Closed polls' results are swept by the job workers; voters are counted on /metrics."""
    from webapp.jobs import register_sweep
    from webapp.operations.metrics import register_gauges
    from webapp.polls.gauges import voter_gauges
    from webapp.polls.result_mail import sweep_closed_polls

    register_sweep(state.app, "poll result", sweep_closed_polls)
    register_gauges(state.app, voter_gauges)


def attach_views():
    """Import the modules whose routes attach to bp and its manage blueprint (see create_app)."""
    from webapp.polls import manage_polls, panels, views  # noqa: F401
