"""The class report: the page, its JSON summary and the CSV export. Owner-scoped: others get 404."""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify, render_template, request, url_for
from werkzeug.routing import BuildError

from app.analytics import cache
from app.analytics.export import csv_filename, students_csv
from app.analytics.periods import Period, PeriodError, parse_period
from app.auth.guards import teacher_required
from app.extensions import db
from app.http import json_error
from app.models import Classroom, utcnow
from app.routing import api_route

from . import bp
from .access import own_class_or_404

# Where a teacher reviews one student; the first one the app has wins (the portal is still growing).
STUDENT_PAGES = ("teacher.student_progress", "teacher.student_detail", "teacher.student_review")
DAY_CHOICES = (7, 14, 30, 90)


def _report(classroom: Classroom, period: Period) -> dict:
    report = cache.class_report(classroom, period, current_app.config)
    db.session.commit()  # keeps the freshly computed copy in the cache
    return report


def student_page_url(class_id: int, student_id: int) -> str | None:
    """A link to the teacher's page for this student, or None when no such page exists yet."""
    for endpoint in STUDENT_PAGES:
        if endpoint not in current_app.view_functions:
            continue
        for kwargs in ({"class_id": class_id, "student_id": student_id}, {"student_id": student_id}):
            try:
                return url_for(endpoint, **kwargs)
            except BuildError:
                continue
    return None


@bp.route("/classes/<int:class_id>/report")
@teacher_required
def class_report(class_id: int):
    classroom = own_class_or_404(class_id)
    try:
        period = parse_period(request.args, utcnow().date())
    except PeriodError as exc:
        return render_template(
            "teacher/class_report.html",
            classroom=classroom,
            report=None,
            error=exc,
            days_choices=DAY_CHOICES,
            args=request.args,
        ), 400
    report = _report(classroom, period)
    links = {a["id"]: student_page_url(classroom.id, a["id"]) for a in report["attention"]}
    return render_template(
        "teacher/class_report.html",
        classroom=classroom,
        report=report,
        error=None,
        links=links,
        days_choices=DAY_CHOICES,
        args=request.args,
    )


@api_route(bp, "/api/classes/<int:class_id>/summary")
@teacher_required
def class_summary(class_id: int):
    classroom = own_class_or_404(class_id)
    try:
        period = parse_period(request.args, utcnow().date())
    except PeriodError as exc:
        return json_error(400, str(exc), code="invalid_period", errors={exc.field: [str(exc)]})
    return jsonify(_report(classroom, period))


@bp.route("/classes/<int:class_id>/report.csv")
@teacher_required
def class_report_csv(class_id: int):
    classroom = own_class_or_404(class_id)
    try:
        period = parse_period(request.args, utcnow().date())
    except PeriodError as exc:
        abort(400, description=str(exc))
    report = _report(classroom, period)
    return Response(
        students_csv(report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{csv_filename(report)}"'},
    )
