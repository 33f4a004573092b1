"""Batch analysis over JSON: start a batch, poll its status, fetch its results (JSON or CSV).

Starting a batch is for teachers (students get 403). Status and results answer only
the teacher who started the job: an owner-scoped query runs before anything else,
and everyone else gets 404, so job ids cannot be probed.
"""
from __future__ import annotations

from flask import Response, jsonify, request, url_for
from flask_login import current_user

from app.auth.guards import login_required, own_item_or_404, own_job_or_404, teacher_required
from app.extensions import db
from app.http import json_error
from app.jobs.dispatch import enqueue_batch
from app.limits import BATCH_UPLOAD, accepts_body, quotas

from .blueprint import bp
from .files import BatchInputError, parse_json_mapping
from .matches import MatchError, confirm_all, confirm_match
from .results import item_state, items, job_status_json, results_as_csv, results_json
from .services import BatchRequest, NotYours, create_batch


@bp.route("/api/analyze-batch/start", methods=["POST"])
@accepts_body(BATCH_UPLOAD)
@teacher_required
def start():
    try:
        batch = _batch_request()
        quotas.check_running_batches(current_user)
        quotas.check_batch_stored_bytes(current_user, request.content_length or 0)
        uploads = [(f.filename or "", f.stream) for f in request.files.getlist("files") if f.filename]
        job = create_batch(current_user, batch, uploads)
    except BatchInputError as exc:
        db.session.rollback()
        return json_error(exc.status, exc.message, fields={exc.field: [exc.message]})
    except NotYours:
        db.session.rollback()
        return json_error(404, "We couldn't find that class or topic.")
    db.session.commit()
    session_ids = [s.id for s in items(job)]
    enqueue_batch(session_ids)
    return jsonify(job_id=job.id, status_url=url_for(".status", job_id=job.id),
                   results_url=url_for(".results", job_id=job.id)), 202


def _batch_request() -> BatchRequest:
    form = request.form
    return BatchRequest(
        kind=(form.get("kind") or "").strip().lower(),
        class_id=_optional_id("class_id"),
        topic_id=_optional_id("topic_id"),
        reference_text=form.get("reference_text", ""),
        references=parse_json_mapping(form.get("references"), "references"),
        students=parse_json_mapping(form.get("students"), "students"),
    )


def _optional_id(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise BatchInputError(f"{name} must be a number.", field=name)
    return int(raw)


@bp.route("/api/analyze-batch/status/<job_id>")
@login_required
def status(job_id: str):
    job = own_job_or_404(job_id)
    return jsonify(job_status_json(job))


@bp.route("/api/analyze-batch/results/<job_id>")
@login_required
def results(job_id: str):
    job = own_job_or_404(job_id)
    if request.args.get("format") == "csv":
        return _csv_response(job)
    return jsonify(results_json(job, _report_url))


@bp.route("/api/analyze-batch/results/<job_id>.csv")
@login_required
def results_csv(job_id: str):
    return _csv_response(own_job_or_404(job_id))


def _csv_response(job) -> Response:
    return Response(
        results_as_csv(job, lambda s: _report_url(s, _external=True)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="batch-{job.id}.csv"'},
    )


def _report_url(session, **kwargs) -> str:
    return url_for("batch.item", job_id=session.batch_job_id, session_id=session.id, **kwargs)


@bp.route("/api/analyze-batch/<job_id>/items/<int:session_id>/confirm", methods=["POST"])
@teacher_required
def confirm_item_api(job_id: str, session_id: int):
    """Confirm the file's proposed student, or {"student_id": n} to attach it to another one and confirm that."""
    job, session = own_job_or_404(job_id), own_item_or_404(job_id, session_id)
    body = request.get_json(silent=True) or {}
    student_id = body.get("student_id") if isinstance(body, dict) else "?"
    if student_id is not None and (not isinstance(student_id, int) or isinstance(student_id, bool)):
        return json_error(400, "student_id must be a student's id (a number), or left out.",
                          fields={"student_id": ["Must be a number."]})
    try:
        confirm_match(job, session, student_id)
    except MatchError as exc:
        db.session.rollback()
        return json_error(400, str(exc), fields={"student_id": [str(exc)]})
    db.session.commit()
    return jsonify(item_state(session))


@bp.route("/api/analyze-batch/<job_id>/confirm", methods=["POST"])
@teacher_required
def confirm_all_api(job_id: str):
    """Confirm every proposed match of the batch."""
    job = own_job_or_404(job_id)
    count = confirm_all(job)
    db.session.commit()
    return jsonify(confirmed=count, **job_status_json(job))
