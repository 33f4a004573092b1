"""The teacher's batch page and the report of each file in a batch."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.auth.guards import login_required, own_item_or_404, own_job_or_404, teacher_required
from app.classes.services import classes_for

from .blueprint import bp
from .results import item_view, recent_jobs


@bp.route("/batch")
@teacher_required
def page():
    job = own_job_or_404(request.args["job"]) if request.args.get("job") else None
    return render_template(
        "batch/page.html",
        job=job,
        classes=classes_for(current_user),
        recent=recent_jobs(current_user),
    )


@bp.route("/batch/<job_id>/items/<int:session_id>")
@login_required
def item(job_id: str, session_id: int):
    session = own_item_or_404(job_id, session_id)
    return render_template("batch/item.html", session=session, job_id=job_id, **item_view(session))
