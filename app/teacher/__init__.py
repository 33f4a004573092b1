"""The teacher portal, mounted at ``/teacher``.

Pages: views.py (dashboard, a class with its roster, class settings), views_planning.py
(topics, passages, curriculum goals), views_review.py (a student's progress, a session's
report, comments and score overrides), views_class_report.py (the class report and its CSV),
views_students.py (adding students without email, resetting their passwords, login cards).
A class's JSON API is app/classes/api_class.py and api_students.py.
"""
from . import (  # noqa: F401  (each registers its routes on bp)
    views,
    views_class_report,
    views_planning,
    views_review,
    views_students,
)
from .blueprint import bp

__all__ = ["bp"]
