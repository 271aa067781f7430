"""Organisers' pages under a nested blueprint that loads and authorises before any view.

Every manage blueprint has the same loader shape: log in first, then load the object
from the URL with the check it needs (404 to those who may not see it, 403 to those who
may see but not manage it). The loader runs in a `url_value_preprocessor`, so no view of
the blueprint can forget it.
"""

from flask import Blueprint, abort
from flask_login import current_user

from webapp.extensions import login_manager


def authorised_blueprint(name, import_name, url_prefix, load):
    """A blueprint whose views run only after load(values) has put their object on g."""
    blueprint = Blueprint(name, import_name, url_prefix=url_prefix)

    @blueprint.url_value_preprocessor
    def load_and_authorise(endpoint, values):
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        load(values)

    return blueprint
