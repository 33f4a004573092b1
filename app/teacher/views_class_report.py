"""The class report page and its CSV export (its JSON is ``classes.class_summary``). Owner-scoped: others get 404."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, url_for

from app.analytics import cache
from app.analytics.export import csv_filename, students_csv
from app.analytics.periods import Period, PeriodError, parse_period
from app.auth.guards import own_class_or_404, teacher_required
from app.dates import viewer_calendar
from app.extensions import db
from app.models import Classroom

from .blueprint import bp

DAY_CHOICES = (7, 14, 30, 90)


def _report(classroom: Classroom, period: Period) -> dict:
    report = cache.class_report(classroom, period, current_app.config)
    db.session.commit()  # keeps the freshly computed copy in the cache
    return report


@bp.route("/classes/<int:class_id>/report")
@teacher_required
def class_report(class_id: int):
    classroom = own_class_or_404(class_id)
    try:
        period = parse_period(request.args, viewer_calendar().today(), viewer_calendar().zone_name)
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
    links = {a["id"]: url_for("teacher.student_progress", class_id=classroom.id, student_id=a["id"])
             for a in report["attention"]}
    return render_template(
        "teacher/class_report.html",
        classroom=classroom,
        report=report,
        error=None,
        links=links,
        days_choices=DAY_CHOICES,
        args=request.args,
    )


@bp.route("/classes/<int:class_id>/report.csv")
@teacher_required
def class_report_csv(class_id: int):
    classroom = own_class_or_404(class_id)
    try:
        period = parse_period(request.args, viewer_calendar().today(), viewer_calendar().zone_name)
    except PeriodError as exc:
        abort(400, description=str(exc))
    report = _report(classroom, period)
    return Response(
        students_csv(report, viewer_calendar()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{csv_filename(report)}"'},
    )
