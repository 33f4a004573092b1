"""Batch analysis: the JSON API and the teacher's batch page.

Starting a batch is for teachers (students get 403). Status, results and item
reports answer only the teacher who started the job: an owner-scoped query runs
before anything else, and everyone else gets 404, so job ids cannot be probed.
"""
from __future__ import annotations

from flask import Response, jsonify, render_template, request, url_for
from flask_login import current_user

from app.auth.guards import login_required, teacher_required
from app.classes.services import classes_for
from app.extensions import db
from app.http import json_error
from app.jobs.dispatch import enqueue_batch
from app.practice.batch import BatchRequest, NotYours, create_batch
from app.practice.batch_files import BatchInputError, parse_json_mapping
from app.practice.batch_results import (
    items,
    own_item_or_404,
    own_job_or_404,
    recent_jobs,
    report_view,
    results_csv,
    results_json,
    status_json,
)

from . import bp


@bp.route("/api/analyze-batch/start", methods=["POST"])
@teacher_required
def batch_start():
    try:
        batch = _batch_request()
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
    return jsonify(job_id=job.id, status_url=url_for(".batch_status", job_id=job.id),
                   results_url=url_for(".batch_results", job_id=job.id)), 202


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
def batch_status(job_id: str):
    job = own_job_or_404(current_user, job_id)
    return jsonify(status_json(job))


@bp.route("/api/analyze-batch/results/<job_id>")
@login_required
def batch_results(job_id: str):
    job = own_job_or_404(current_user, job_id)
    if request.args.get("format") == "csv":
        return _csv_response(job)
    return jsonify(results_json(job, _report_url))


@bp.route("/api/analyze-batch/results/<job_id>.csv")
@login_required
def batch_results_csv(job_id: str):
    return _csv_response(own_job_or_404(current_user, job_id))


def _csv_response(job) -> Response:
    return Response(
        results_csv(job, lambda s: _report_url(s, _external=True)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="batch-{job.id}.csv"'},
    )


def _report_url(session, **kwargs) -> str:
    return url_for("analysis.batch_item", job_id=session.batch_job_id, session_id=session.id, **kwargs)


@bp.route("/batch")
@teacher_required
def batch_page():
    job = own_job_or_404(current_user, request.args["job"]) if request.args.get("job") else None
    return render_template(
        "analysis/batch.html",
        job=job,
        classes=classes_for(current_user),
        recent=recent_jobs(current_user),
    )


@bp.route("/batch/<job_id>/items/<int:session_id>")
@login_required
def batch_item(job_id: str, session_id: int):
    session = own_item_or_404(current_user, job_id, session_id)
    return render_template("analysis/batch_item.html", session=session, job_id=job_id, **report_view(session))
