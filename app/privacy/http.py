"""The export as a download, the same answer for the student, their teacher and their school's admin."""
from __future__ import annotations

from flask import Response

from app.models import User

from .export import export_name, student_export


def export_response(student: User) -> Response:
    response = Response(student_export(student), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{export_name(student)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
