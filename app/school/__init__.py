"""A school: its admin's pages (views.py) and JSON (api.py) for teachers, invites and settings, its audit
trail (views_audit.py, api_audit.py), and the invitation link an invited teacher follows (views_invite.py).
students.py makes student accounts for the teacher's class pages; settings.py holds each school's settings
with their Config defaults.
"""
from . import api, api_audit, views, views_audit, views_invite  # noqa: F401  (each module registers its routes on bp)
from .blueprint import bp

__all__ = ["bp"]
