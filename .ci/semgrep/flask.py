# Cases for .ci/semgrep-flask.yml, checked by `semgrep --test .ci/` in .ci/run: each rule
# must flag what it is for (ruleid) and leave the safe form alone (ok). Never imported.
import pickle
import subprocess

import jinja2
import sqlalchemy as sa
from flask import redirect, render_template_string, request, send_file, url_for
from markupsafe import Markup

from webapp.web.redirects import safe_next
from webapp.extensions import csrf


def debug(app):
    # ruleid: flask-debug-run
    app.run(debug=True)
    # ok: flask-debug-run
    app.run()


def templates(name):
    # ruleid: render-template-string
    render_template_string("Hello {{ name }}", name=name)
    # ruleid: markup-of-a-variable
    Markup(name)
    # ok: markup-of-a-variable
    Markup("<br>")
    # ruleid: autoescape-off
    jinja2.Environment(autoescape=False)


def sql(connection, table, user_id):
    # ruleid: sql-from-a-string
    sa.text(f"SELECT * FROM {table}")
    # ruleid: sql-from-a-string
    connection.execute(f"DELETE FROM users WHERE id = {user_id}")
    # ok: sql-from-a-string
    sa.text("SELECT * FROM users WHERE id = :id")


def redirects():
    # ruleid: redirect-to-request-input
    redirect(request.args.get("next"))
    # ok: redirect-to-request-input
    redirect(safe_next(request.args.get("next")))
    # ok: redirect-to-request-input
    redirect(url_for("main.home", **request.args))


def files():
    name = request.args["name"]
    # ruleid: file-path-from-request-input
    send_file(name)
    # ok: file-path-from-request-input
    send_file("static/robots.txt")


# ruleid: csrf-exempt
@csrf.exempt
def webhook():
    return ""


def processes(command, data, app):
    # ruleid: shell-command
    subprocess.run(command, shell=True)
    # ok: shell-command
    subprocess.run(["ls", command])
    # ruleid: unsafe-deserialisation
    pickle.loads(data)
    # ruleid: secret-key-in-code
    app.config["SECRET_KEY"] = "hunter2"
