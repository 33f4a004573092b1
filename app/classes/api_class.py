"""One class over JSON, for its teacher: /api/classes/<id>/topics, curriculum, live, roster and summary.

Input is validated by the same forms as the teacher's pages; anyone else's class is a 404.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict

from app.analytics import cache
from app.analytics.periods import PeriodError, parse_period
from app.auth.guards import own_class_or_404, teacher_required
from app.dates import viewer_calendar
from app.extensions import db
from app.http import form_errors, json_error
from app.models import utcnow
from app.pagination import paginate_list
from app.practice.figures import COUNTED_LABEL
from app.teacher.curriculum import CurriculumForm, curriculum_formdata
from app.teacher.forms import topic_form_class
from app.teacher.library import offer_passages
from app.teacher.queries import live_sessions, roster
from app.teacher.services import create_topic, save_curriculum, topic_fields

from .blueprint import bp

TOPIC_KEYS = ("kind", "passage", "title", "prompt", "prep_seconds", "speaking_seconds", "opens_at", "closes_at",
              "due_on")


def _invalid(errors: dict[str, list[str]], message: str = "Some fields need fixing."):
    return json_error(400, message, code="invalid", errors=errors)


@bp.route("/api/classes/<int:class_id>/topics", methods=["GET"])
@teacher_required
def api_list_topics(class_id: int):
    classroom = own_class_or_404(class_id)
    topics = sorted(classroom.topics, key=lambda t: (t.created_at, t.id), reverse=True)
    page = paginate_list(topics)
    return jsonify({"class_id": classroom.id, "topics": [t.to_json() for t in page.items], **page.fields()})


@bp.route("/api/classes/<int:class_id>/topics", methods=["POST"])
@teacher_required
def api_create_topic(class_id: int):
    classroom = own_class_or_404(class_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _invalid({"body": ["Send a JSON object."]}, "Send the topic as a JSON object.")
    wrong = [key for key in TOPIC_KEYS if payload.get(key) is not None and not isinstance(payload[key], (str, int))]
    if wrong:
        return _invalid({key: ["Send text or a number."] for key in wrong})
    formdata = _topic_formdata(payload)
    form = topic_form_class(formdata["kind"], formdata.get("passage"))(formdata=formdata, meta={"csrf": False})
    offer_passages(form, fill=True)
    if not form.validate():
        return _invalid(form_errors(form))
    topic = create_topic(classroom, **topic_fields(form))
    db.session.commit()
    return jsonify(topic.to_json()), 201


def _topic_formdata(payload: dict[str, Any]) -> MultiDict:
    data = MultiDict()
    for key in TOPIC_KEYS:
        value = payload.get(key)
        if value is None:
            continue
        if key in ("opens_at", "closes_at"):
            value = _local_utc(str(value))
        data[key] = str(value)
    data.setdefault("kind", "impromptu")
    return data


def _local_utc(value: str) -> str:
    """ISO 8601 with any offset → the form's zone-less UTC format; anything else is left for the form to refuse."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


@bp.route("/api/classes/<int:class_id>/curriculum", methods=["GET"])
@teacher_required
def api_get_curriculum(class_id: int):
    classroom = own_class_or_404(class_id)
    goal = classroom.curriculum
    if goal is None:
        return jsonify({"class_id": classroom.id, "grammar_focus": [], "grammar_notes": "", "vocabulary": [],
                        "rubric": [], "updated_at": None})
    return jsonify(goal.to_json())


@bp.route("/api/classes/<int:class_id>/curriculum", methods=["PUT"])
@teacher_required
def api_put_curriculum(class_id: int):
    classroom = own_class_or_404(class_id)
    try:
        formdata = curriculum_formdata(request.get_json(silent=True))
    except ValueError as exc:
        field, _, message = str(exc).partition(": ")
        return _invalid({field: [message]})
    form = CurriculumForm(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        return _invalid(form.flat_errors())
    goal = save_curriculum(classroom, **form.goal_fields())
    db.session.commit()
    return jsonify(goal.to_json())


@bp.route("/api/classes/<int:class_id>/live", methods=["GET"])
@teacher_required
def api_live(class_id: int):
    classroom = own_class_or_404(class_id)
    entries = live_sessions(classroom, current_app.config)
    return jsonify(
        {
            "class_id": classroom.id,
            "now": utcnow().isoformat(),
            "stuck_factor": current_app.config["LIVE_STUCK_FACTOR"],
            "analysis_stuck_minutes": current_app.config["LIVE_ANALYSIS_STUCK_MINUTES"],
            "sessions": [
                entry.to_json()
                | {"progress_url": url_for("teacher.student_progress", class_id=classroom.id,
                                           student_id=entry.student.id)}
                for entry in entries
            ],
        }
    )


@bp.route("/api/classes/<int:class_id>/roster", methods=["GET"])
@teacher_required
def api_roster(class_id: int):
    classroom = own_class_or_404(class_id)
    week = viewer_calendar().week()
    page = paginate_list(roster(classroom, week))
    return jsonify(
        {
            "class_id": classroom.id,
            "inactive_after_days": classroom.inactive_after_days,
            "week": {"start": week.start.isoformat(), "end": week.end.isoformat()},
            "counted": COUNTED_LABEL,
            "students": [_roster_json(row) for row in page.items],
            **page.fields(),
        }
    )


def _roster_json(row) -> dict[str, Any]:
    return {
        "id": row.student.id,
        "name": row.student.name,
        "last_practice_at": row.last_practice_at.isoformat() if row.last_practice_at else None,
        "sessions_this_week": row.sessions_this_week,
        # Latest score, trend and this week's sessions, per kind (app/practice/figures.py).
        "figures": row.figures.to_json(),
        "inactive": row.inactive,
    }


@bp.route("/api/classes/<int:class_id>/summary")
@teacher_required
def class_summary(class_id: int):
    classroom = own_class_or_404(class_id)
    try:
        period = parse_period(request.args, viewer_calendar().today(), viewer_calendar().zone_name)
    except PeriodError as exc:
        return json_error(400, str(exc), code="invalid_period", errors={exc.field: [str(exc)]})
    report = cache.class_report(classroom, period, current_app.config)
    db.session.commit()  # keeps the freshly computed copy in the cache
    return jsonify(report)
