"""flask commands for operators."""

import click
import sqlalchemy as sa
from flask import Flask

from webapp.extensions import db


def register_cli(app: Flask):
    from webapp.outbox.cli import outbox_cli

    app.cli.add_command(outbox_cli)

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--first-name", prompt=True)
    @click.option("--last-name", prompt=True)
    @click.password_option()
    def create_admin(email, first_name, last_name, password):
        """Create a verified site admin, or make an existing account one."""
        from webapp.accounts.models import User, normalize_email
        from webapp.accounts.passwords import hash_password, password_problems
        from webapp.timeutil import utcnow

        user = db.session.scalar(
            sa.select(User).where(User.email_normalized == normalize_email(email))
        )
        if user is None:
            problems = password_problems(password)
            if problems:
                raise click.BadParameter(" ".join(problems), param_hint="password")
            user = User(
                email=email.strip(),
                email_normalized=normalize_email(email),
                first_name=first_name,
                last_name=last_name,
                password_hash=hash_password(password),
            )
            db.session.add(user)
        user.is_site_admin = True
        user.email_verified_at = user.email_verified_at or utcnow()
        db.session.commit()
        click.echo(f"{user.email} is a site admin.")

    @app.cli.command("failed-jobs")
    def failed_jobs_command():
        """List jobs (such as emails) that failed after all their retries."""
        from webapp.jobs import failed_jobs

        jobs = failed_jobs()
        for job in jobs:
            result = job.latest_result()
            exc_string = (result.exc_string if result else None) or ""
            last_line = exc_string.strip().splitlines()[-1:] or [""]
            click.echo(f"{job.id}  {job.func_name}  {job.ended_at}  {last_line[0]}")
        click.echo(f"{len(jobs)} failed job(s).")
