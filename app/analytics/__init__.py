"""Class analytics: the teacher's class report (summary, narrative, tutorials, cache, CSV)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Drop a class's cached reports whenever one of its sessions gets a report."""
    from .cache import on_report_stored

    callbacks = app.extensions.setdefault("podium_after_report", [])
    if on_report_stored not in callbacks:
        callbacks.append(on_report_stored)
