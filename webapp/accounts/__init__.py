from flask import Blueprint

# cli_group=None: its commands sit at the top, as `flask create-admin`.
bp = Blueprint("accounts", __name__, cli_group=None)


def attach_views():
    """Import the modules whose routes and commands attach to bp (see create_app)."""
    from webapp.accounts import cli, views  # noqa: F401
