"""flask commands for operators that belong to no feature (features add their own on
their blueprint: `flask create-admin` lives with accounts)."""

import click
from flask import Flask


def register_cli(app: Flask):
    from webapp.outbox.cli import outbox_cli
    from webapp.seed.cli import seed_command

    app.cli.add_command(outbox_cli)
    app.cli.add_command(seed_command)

    @app.cli.command("check-deploy")
    def check_deploy_command():
        """Check that this configuration is fit for production; exit 1 if it is not."""
        from webapp.operations.deploy_checks import run_checks

        findings = run_checks()
        for finding in findings:
            click.echo(f"{'ok  ' if finding.ok else 'FAIL'}  {finding.check}: {finding.message}")
        failed = [finding for finding in findings if not finding.ok]
        if failed:
            click.echo(f"{len(failed)} check(s) failed: not fit for production.")
            raise SystemExit(1)
        click.echo("Every check passed.")

    @app.cli.command("balancer-pages")
    @click.argument("directory", type=click.Path(file_okay=False))
    @click.option(
        "--language",
        type=click.Choice(app.config["LANGUAGES"]),
        help="The pages' language (default: the site's, DEFAULT_LANGUAGE).",
    )
    def balancer_pages_command(directory, language):
        """Write the pages a balancer answers with when no web machine does (502, 503,
        504) or when a request is too large for it (413), as HTML files for nginx and
        whole HTTP answers for HAProxy."""
        from webapp.operations.balancer_pages import write_balancer_pages

        for path in write_balancer_pages(directory, language):
            click.echo(str(path))

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
