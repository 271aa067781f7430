"""Reports: members report a comment, an event or a person (views.py) to the group's
organisers, who decide them from a queue on the group's manage pages (manage_reports.py,
under a nested blueprint that loads and authorises the group first); cases about an
organiser, or passed up, go to the site admins (webapp/admin/manage_reports.py)."""

from flask import Blueprint, g

from webapp.web.manage import authorised_blueprint

bp = Blueprint("reports", __name__)


def load_group_for_reports(values):
    """Every manage view gets g.group, already checked: log in first, 404 to those who
    may not see the group, 403 to those who may see but not manage it."""
    from webapp.groups.access import can_manage, get_group

    g.group = get_group(values.pop("slug"), need=can_manage)


manage = authorised_blueprint(
    "manage", __name__, "/groups/<slug>/manage/reports", load_group_for_reports
)


bp.register_blueprint(manage)


def attach_views():
    """Import the modules whose routes attach to bp and its manage blueprint (see create_app)."""
    from webapp.reports import manage_reports, panels, views  # noqa: F401
