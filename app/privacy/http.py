"""The export as a download, the same answer for the student, their teacher and their school's admin."""
from __future__ import annotations

from flask import Response

from app.audit import Action, record
from app.extensions import db
from app.models import User

from .export import export_name, student_export


def export_response(student: User) -> Response:
    """The zip, and an audit event saying who took it: the one write a GET makes, because reading a
    child's whole record is itself something the school must be able to see (tests/test_get_requests.py)."""
    response = Response(student_export(student), mimetype="application/zip")
    record(Action.DATA_EXPORTED, student)
    db.session.commit()
    response.headers["Content-Disposition"] = f'attachment; filename="{export_name(student)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
