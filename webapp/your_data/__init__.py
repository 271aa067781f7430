"""Your data: download everything Hearth holds about you, and delete your account.

Its pages are part of the settings: they attach to the accounts blueprint, so their
addresses and endpoint names (accounts.your_data, ...) are the settings' own.
"""

from webapp.accounts import bp as bp


@bp.record_once
def register_sweeps(state):
    """Expired downloads are deleted by the job workers' sweeps."""
    from webapp.jobs import register_sweep
    from webapp.your_data.export import sweep_expired_exports

    register_sweep(state.app, "expired export", sweep_expired_exports)


def attach_views():
    """Import the module whose routes attach to the accounts blueprint (see create_app)."""
    from webapp.your_data import views  # noqa: F401
