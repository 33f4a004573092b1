"""Flask CLI commands: `flask seed-demo`, `flask analyze`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    try:
        from .analysis.cli import analyze_command
    except ImportError:  # the analysis CLI lands with the speech engine
        return
    app.cli.add_command(analyze_command)


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Add the demo data even if users already exist.")
@with_appcontext
def seed_demo_command(force: bool) -> None:
    """Load the demo teacher, class, students and sessions (only into an empty database)."""
    from .demo.seed import DEMO_PASSWORD, seed_demo

    created = seed_demo(force=force)
    if not created:
        click.echo("Demo data already present.")
    else:
        click.echo("Demo data loaded.")
    click.echo(f"  Teacher: teacher@podium.test / {DEMO_PASSWORD}")
    click.echo(f"  Student: maya@podium.test / {DEMO_PASSWORD}  (also leo@, amira@, sam@)")
