"""The teacher's batch page and the report of each file in a batch."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.analysis.wording import plural
from app.auth.guards import login_required, own_item_or_404, own_job_or_404, teacher_required
from app.classes.services import classes_for
from app.extensions import db

from .blueprint import bp
from .forms import ConfirmAllForm, ConfirmMatchForm
from .matches import MatchError, candidates, confirm_all, confirm_match, is_proposed
from .results import item_view, items, recent_jobs


@bp.route("/batch")
@teacher_required
def page():
    job = own_job_or_404(request.args["job"]) if request.args.get("job") else None
    return render_template(
        "batch/page.html",
        job=job,
        classes=classes_for(current_user),
        recent=recent_jobs(current_user),
        **(_matches(job) if job else {}),
    )


def _match_form(job, session, students) -> ConfirmMatchForm:
    form = ConfirmMatchForm(prefix=f"item-{session.id}")
    form.student_id.choices = [(s.id, s.name) for s in students]
    if session.student_id is not None and not form.is_submitted():
        form.student_id.data = session.student_id
    return form


def _matches(job) -> dict:
    """The files to check on the results page, each with its form, and the confirm-all form."""
    students = candidates(job)
    rows = [s for s in items(job) if s.audio_key and (s.student_id is not None or students)]
    return {
        "match_rows": [(s, _match_form(job, s, students)) for s in rows],
        "proposed": sum(1 for s in rows if is_proposed(s)),
        "confirm_all_form": ConfirmAllForm(prefix="all"),
    }


@bp.route("/batch/<job_id>/items/<int:session_id>/confirm", methods=["POST"])
@teacher_required
def confirm_item(job_id: str, session_id: int):
    job, session = own_job_or_404(job_id), own_item_or_404(job_id, session_id)
    form = _match_form(job, session, candidates(job))
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "warning")
        return redirect(url_for(".page", job=job.id))
    try:
        confirm_match(job, session, form.student_id.data)
    except MatchError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for(".page", job=job.id))
    db.session.commit()
    flash(f"{session.batch_filename} is now in {session.student.name}'s reports.", "success")
    return redirect(url_for(".page", job=job.id))


@bp.route("/batch/<job_id>/confirm", methods=["POST"])
@teacher_required
def confirm_all_items(job_id: str):
    job = own_job_or_404(job_id)
    if not ConfirmAllForm(prefix="all").validate_on_submit():
        flash("The page had expired; nothing was confirmed. Try again.", "warning")
        return redirect(url_for(".page", job=job.id))
    count = confirm_all(job)
    db.session.commit()
    flash(f"{plural(count, 'match', 'matches')} confirmed: each student now sees their recording.", "success")
    return redirect(url_for(".page", job=job.id))


@bp.route("/batch/<job_id>/items/<int:session_id>")
@login_required
def item(job_id: str, session_id: int):
    session = own_item_or_404(job_id, session_id)
    return render_template("batch/item.html", session=session, job_id=job_id, **item_view(session))
