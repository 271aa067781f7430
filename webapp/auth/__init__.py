from flask import Blueprint

bp = Blueprint("auth", __name__)

from webapp.auth import routes, session_loader  # noqa: E402, F401  (attach views and loader)
