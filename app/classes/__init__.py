"""Classes: creating, listing and joining them, and every ``/api/classes...`` route.

JSON: api.py (``/api/classes``, ``/api/classes/join``) and api_class.py (one class's
topics, curriculum, live panel, roster and summary, for its teacher), api_students.py (its
student accounts) and api_review.py (a teacher's word-by-word review of a reading). services.py
changes classes, queries.py reads the topics a student may practise.
"""
from . import api, api_class, api_review, api_students  # noqa: F401  (each module registers its routes on bp)
from .blueprint import bp

__all__ = ["bp"]
