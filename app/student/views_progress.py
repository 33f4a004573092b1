"""My Progress: the student's past sessions, charts, personal bests and weekly summary."""
from __future__ import annotations

from typing import Callable, Iterable

from flask import render_template, request, url_for
from flask_login import current_user

from app.auth.guards import student_required
from app.models import SessionKind
from app.practice.progress import progress_context
from app.practice.visibility import own_sessions

from .blueprint import bp


@bp.route("/progress")
@student_required
def progress():
    context = progress_context(current_user, own_sessions(current_user), request.args)
    linked = [(s.id, s.kind) for s in context["page"].items] + [(b.session_id, b.kind) for b in context["bests"]]
    return render_template(
        "student/progress.html", **context, readonly=False, session_url=student_session_url(linked)
    )


def student_session_url(sessions: Iterable[tuple[int, str]]) -> Callable[[int], str]:
    """Turn a session id into the student's own report page for it.

    The progress partial only hands over ids, so the kind of each linked session is looked up here.
    """
    kinds = dict(sessions)

    def url(session_id: int) -> str:
        if kinds.get(session_id) == SessionKind.PRONUNCIATION.value:
            return url_for("student.pronunciation_result", session_id=session_id)
        return url_for("student.report", session_id=session_id)

    return url
