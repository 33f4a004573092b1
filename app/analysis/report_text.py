"""``flask analyze PATH``: analyse an impromptu speech file from the command line.

Prints a readable report (or the JSON report with --json). Bad input ends with
exit code 1 and the same child-friendly message the web app shows.
"""
from __future__ import annotations

import json
import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .context import SpeakingTask
from .errors import AnalysisError
from .feedback.local import mmss

DEFAULT_TOPIC = "Free talk"
LONG_FILE_BYTES = 2 * 1024 * 1024  # above this, show progress on stderr


@click.command("analyze")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--topic", default=DEFAULT_TOPIC, show_default=True, help="The topic or question the speech answers.")
@click.option("--seconds", "speaking_seconds", default=60, show_default=True, help="Expected speaking time.")
@click.option("--json", "as_json", is_flag=True, help="Print the full JSON report.")
@with_appcontext
def analyze_command(path: str, topic: str, speaking_seconds: int, as_json: bool) -> None:
    """Analyse the impromptu speech recorded in PATH."""
    from .pipeline import analyse_impromptu

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


def render_text(report: dict) -> str:
    """The report as plain text for a terminal: scores, key metrics, feedback."""
    m, s, f = report["metrics"], report["scores"], report["feedback"]
    lines = [f"Topic: {report['task']['title']}", f"Transcript: {report['transcript']}", "", "Scores (0-100):"]
    lines += [
        f"  {k:<11} {s[k]['score']:>3}"
        for k in ("overall", "fluency", "vocabulary", "grammar", "relevance", "structure")
    ]
    lines += [
        "",
        "Metrics:",
        f"  words {m['word_count']}, speaking {m['speech_span']:.1f} s, {m['words_per_minute']:.0f} words/min",
        f"  pauses {m['pause_count']} (over 1 s: {m['long_pause_count']}, longest {m['longest_pause']:.1f} s)",
        f"  fillers {m['filler_count']} ({m['fillers_per_100_words']:.1f} per 100 words)",
        f"  lexical diversity (MTLD) {m['mtld']:.0f}, approx. level {m['approx_level'] or '-'}",
        "",
        f"Summary: {f['summary']}",
        "",
        "Strengths:",
    ]
    lines += [_point(p) for p in f["strengths"]] + ["", "To improve:"]
    lines += [_point(p) for p in f["improvements"]] + ["", "Next steps:"]
    lines += [f"  - {step}" for step in f["next_steps"]]
    if f["curriculum"]:
        lines += ["", "Curriculum:"] + [f"  - {c}" for c in f["curriculum"]]
    lines += ["", f"Engines: speech {report['engine']['asr']}, feedback {report['engine']['writer']}"]
    return "\n".join(lines)


def _point(p: dict) -> str:
    where = f" [{mmss(p['start'])}" + (f' "{p["quote"]}"' if p["quote"] else "") + "]" if p["start"] is not None else ""
    return f"  - {p['text']}{where}"
