"""The home page."""

from flask import render_template
from flask_login import current_user

from webapp.extensions import db
from webapp.groups.routes import visible_groups
from webapp.main import bp


@bp.get("/")
def home():
    """Visitors see what Hearth is; members see their groups."""
    my_groups = []
    if current_user.is_authenticated:
        my_groups = db.session.scalars(visible_groups(current_user, mine=True).limit(12)).all()
    return render_template("main/home.html", my_groups=my_groups)
