"""`flask seed --scale N`: the command line side of the seeder."""

import time

import click
from flask.cli import with_appcontext

from webapp.seed import SEED_PASSWORD, SeedRefused, seed_database


@click.command("seed")
@click.option(
    "--scale",
    type=click.FloatRange(min=0.001, max=100),
    default=1.0,
    show_default=True,
    help="1 is 32,000 users, 1,000 groups and a 30,000-member group; 0.01 for a quick try.",
)
@click.option("--force", is_flag=True, help="Seed even though the database has real users.")
@with_appcontext
def seed_command(scale, force):
    """Fill the database with made-up users, groups, memberships, invitations and history."""
    started = time.perf_counter()
    try:
        counts = seed_database(scale, force=force)
    except SeedRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    for table, count in counts.items():
        click.echo(f"{table:20} {count:>9,}")
    click.echo(f"Seeded at scale {scale:g} in {time.perf_counter() - started:.1f} s.")
    click.echo(f"Every seeded user logs in with the password {SEED_PASSWORD}")
