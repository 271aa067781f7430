"""The digest: one email a period (weekly or daily, as each person chooses), at 08:00 on
their own clock, of what is new and coming in their groups; never empty, never telling the
same thing twice. What it tells is contents.py, when it is due periods.py, sending it
sending.py; its section of the settings is settings_views.py."""

from flask import Blueprint

bp = Blueprint("digest", __name__)


@bp.record_once
def register_sweep(state):
    """Digests whose 08:00 has come are swept into jobs, one per person and period."""
    from webapp.digest.sending import sweep_due_digests
    from webapp.jobs import register_sweep

    register_sweep(state.app, "digest", sweep_due_digests)


def attach_views():
    """Import the modules whose routes attach (see create_app)."""
    from webapp.digest import settings_views, unsubscribing  # noqa: F401
