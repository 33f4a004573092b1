"""Flask CLI commands: `flask seed-demo` loads the demo, `flask analyze PATH` prints a recording's report.

`flask analyze` prints a readable report (or the JSON report with --json). Bad input
ends with exit code 1 and the same child-friendly message the web app shows.
"""
from __future__ import annotations

import json
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

DEFAULT_TOPIC = "Free talk"
LONG_FILE_BYTES = 2 * 1024 * 1024  # above this, show progress on stderr


def register_cli(app: Flask) -> None:
    from .school.cli import create_school_command, password_link_command

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_school_command)
    app.cli.add_command(password_link_command)
    app.cli.add_command(analyze_command)
    app.cli.add_command(purge_expired_command)


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
    click.echo(f"  Admin:   admin@podium.test / {DEMO_PASSWORD}  (the school's teachers and invites)")
    click.echo(f"  Teacher: teacher@podium.test / {DEMO_PASSWORD}")
    click.echo(f"  Student: maya / {DEMO_PASSWORD}  (username or maya@podium.test; also leo, amira, sam)")


@click.command("analyze")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--topic", default=DEFAULT_TOPIC, show_default=True, help="The topic or question the speech answers.")
@click.option("--seconds", "speaking_seconds", default=60, show_default=True, help="Expected speaking time.")
@click.option("--json", "as_json", is_flag=True, help="Print the full JSON report.")
@with_appcontext
def analyze_command(path: str, topic: str, speaking_seconds: int, as_json: bool) -> None:
    """Analyse the impromptu speech recorded in PATH."""
    from .analysis.context import SpeakingTask
    from .analysis.errors import AnalysisError
    from .analysis.pipeline import analyse_impromptu
    from .analysis.report_text import render_text

    task = SpeakingTask(title=topic, prompt=topic, speaking_seconds=speaking_seconds)
    try:
        # Only long files get progress lines: a short one is done before a reader could look.
        loud = os.path.getsize(path) > LONG_FILE_BYTES
        with open(path, "rb") as fh:
            report = analyse_impromptu(
                fh,
                task,
                current_app.config,
                on_stage=_show_stage if loud else None,
                on_progress=_show_progress if loud else None,
            )
    except AnalysisError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"Could not open {path}: {exc.strerror}", err=True)
        sys.exit(1)
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else render_text(report))


def _show_stage(stage: str) -> None:
    click.echo(f"{stage}...", err=True)


def _show_progress(fraction: float) -> None:
    click.echo(f"\rtranscribing: {fraction:4.0%}", err=True, nl=fraction >= 1.0)


@click.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Only print what would be removed.")
@click.option("--as-of", "as_of", type=click.DateTime(), default=None,
              help="Purge as if it were this moment (UTC), e.g. to see what a retention will remove.")
@with_appcontext
def purge_expired_command(dry_run: bool, as_of) -> None:
    """Remove recordings, unsent parts and reports past their retention (docs/privacy.md), and print what went."""
    from datetime import timezone

    from .extensions import db
    from .privacy.retention import purge_expired

    now = as_of.replace(tzinfo=timezone.utc) if as_of else None
    report = purge_expired(current_app.config, now=now, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was removed.")
    else:
        db.session.commit()
    for line in report.lines():
        click.echo(line)
