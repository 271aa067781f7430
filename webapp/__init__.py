"""Hearth: a place where communities organise themselves."""

import logging
import os
from importlib import import_module
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.config import config_for, finalize
from webapp.web.fixed_addresses import register_fixed_addresses
from webapp.web.hooks import register_input_guards
from webapp.web.request_ids import install_log_record_ids, register_request_ids
from webapp.web.static_files import register_static_files

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the app; config is a mapping of settings that win over the environment."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, config or {})
    register_logging(app)
    register_extensions(app)
    register_input_guards(app)
    register_request_ids(app)
    register_blueprints(app)
    register_hooks(app)
    register_commands(app)
    register_static_files(app)
    register_fixed_addresses(app)
    register_live_polls(app)
    # Last: its statement counter wraps every middleware.
    register_bench_tools(app)
    return app


def load_config(app, overrides):
    env_name = overrides.get("HEARTH_ENV") or os.environ.get("HEARTH_ENV", "development")
    app.config.from_object(config_for(env_name))
    app.config.update(overrides)
    app.config["HEARTH_ENV"] = env_name
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    finalize(app.config, app.instance_path)
    if app.config["TRUSTED_PROXY_HOPS"]:
        hops = app.config["TRUSTED_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_logging(app):
    install_log_record_ids()
    if not logging.getLogger().handlers:
        logging.basicConfig(
            format="%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        )
    logging.getLogger("hearth").setLevel(app.config["LOG_LEVEL"])


def register_extensions(app):
    from webapp.database import setup as db_setup
    from webapp.database.redis_client import init_redis
    from webapp.extensions import csrf, db, login_manager, mail, migrate
    from webapp.jobs import init_jobs
    from webapp.outbox import init_outbox
    from webapp.storage import init_storage
    from webapp.web.languages import register_languages

    db.init_app(app)
    db_setup.enable_sqlite_foreign_keys(app)
    db_setup.prepare_marked_statements(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    register_languages(app)
    init_redis(app)
    init_storage(app)
    init_jobs(app)
    init_outbox(app)


# In the order their blueprints register; your_data's views attach to accounts' blueprint.
FEATURES = (
    "main",
    "auth",
    "accounts",
    "your_data",
    "groups",
    "events",
    "polls",
    "announcements",
    "tasks",
    "discussions",
    "feedback",
    "files",
    "digest",
    "reports",
    "admin",
    "open_web",
    "operations.health",
)


def register_blueprints(app):
    from webapp.web.ratelimits import register_rate_limits

    packages = [import_module(f"webapp.{name}") for name in FEATURES]
    # Views attach when their modules are imported: here, not in each package's
    # __init__, so that importing a feature's models never imports every view of
    # every feature. All attach before any blueprint registers: a feature may add
    # views to another's blueprint (your data's pages live under the settings).
    for package in packages:
        package.attach_views()
    for blueprint in dict.fromkeys(package.bp for package in packages):
        app.register_blueprint(blueprint)
    # After the blueprints: it wraps the views they marked as rate limited.
    register_rate_limits(app)


def register_hooks(app):
    from webapp.database.unit_of_work import register_unit_of_work
    from webapp.operations.deploy_checks import register_proxy_watch
    from webapp.operations.metrics import register_metrics
    from webapp.web.cookie_session import register_cookie_session
    from webapp.web.errors import register_error_handlers
    from webapp.web.hooks import register_response_hooks
    from webapp.web.templating import register_template_helpers

    register_cookie_session(app)
    register_response_hooks(app)
    register_metrics(app)
    register_proxy_watch(app)
    # Last registered, first to run: the commit happens before the response is logged.
    register_unit_of_work(app)
    register_error_handlers(app)
    register_template_helpers(app)


def register_live_polls(app):
    """Outermost: a poll that finds nothing new is answered before anything else runs."""
    from webapp.live.front import answer_current_polls

    answer_current_polls(app)


def register_bench_tools(app):
    """The baseline page and the query counter, only when HEARTH_BENCH_* variables ask."""
    from webapp.operations.bench import register_bench_tools

    register_bench_tools(app)


def register_commands(app):
    from webapp.cli import register_cli

    register_cli(app)
