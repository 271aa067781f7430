"""`flask create-admin EMAIL`: the command line side of accounts."""

import click
import sqlalchemy as sa

from webapp.accounts import bp
from webapp.accounts.models import User, normalize_email
from webapp.accounts.passwords import hash_password, password_problems
from webapp.audit.models import AuditAction
from webapp.audit.services import log_on_user
from webapp.database.times import utcnow
from webapp.extensions import db


@bp.cli.command("create-admin")
@click.argument("email")
@click.option("--first-name", prompt=True)
@click.option("--last-name", prompt=True)
@click.password_option()
def create_admin(email, first_name, last_name, password):
    """Create a verified site admin, or make an existing account one (active again, if it
    was deactivated: this is also how a locked-out site recovers its admin)."""
    user = db.session.scalar(sa.select(User).where(User.email_normalized == normalize_email(email)))
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
    user.active = True
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.flush()
    log_on_user(None, AuditAction.ADMIN_GRANTED, user, detail="flask create-admin")
    db.session.commit()
    click.echo(f"{user.email} is a site admin.")
