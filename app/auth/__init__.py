"""Accounts: sign-up, log-in and log-out pages, bearer tokens for the JSON API, and the guards every view uses.

Pages: views.py. JSON: api.py (``/users/signup``, ``/token``, ``/api/me``, ``/api/logout``).
guards.py holds the role decorators and the owner-scoped "or 404" fetches.
"""
from . import api, views, views_password  # noqa: F401  (each module registers its routes on bp)
from .blueprint import bp

__all__ = ["bp"]
