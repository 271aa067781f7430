from flask import Blueprint

# cli_group=None: its commands sit at the top, as `flask create-admin`.
bp = Blueprint("accounts", __name__, cli_group=None)

from webapp.accounts import cli, event_settings, routes  # noqa: E402, F401  (attach views and commands)
