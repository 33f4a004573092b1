"""Batch analysis: a teacher uploads many recordings (or one zip) and gets a report for each.

Routes: ``api.py`` (``/api/analyze-batch/...``: start, status, results, CSV) and
``views.py`` (``/batch``: the page and each file's report). ``services.py`` turns an
upload into a BatchJob of ordinary practice sessions, ``files.py`` unpacks it within
limits, ``results.py`` reads a job back.
"""
from . import api, views  # noqa: F401  (each module registers its routes on bp)
from .blueprint import bp

__all__ = ["bp"]
