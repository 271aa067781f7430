"""The home page."""

from flask import render_template

from webapp.main import bp


@bp.get("/")
def home():
    """Visitors see what Hearth is; members see their own start page."""
    return render_template("main/home.html")
