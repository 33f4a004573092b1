"""The admin's page of the school's audit trail: newest first, a page at a time, one action or all."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user

from app.audit import ACTIONS, school_events
from app.audit.actions import LABELS
from app.audit.queries import account_names
from app.auth.guards import admin_required
from app.extensions import db

from .blueprint import bp


def chosen_action() -> str | None:
    """The ``?action=`` filter; a 400 for a word not in the list, so a typo never reads as "nothing happened"."""
    action = request.args.get("action") or None
    if action is not None and action not in ACTIONS:
        abort(400, description=f"action must be one of: {', '.join(ACTIONS)}.")
    return action


@bp.route("/school/audit")
@admin_required
def audit():
    action = chosen_action()
    page = db.paginate(school_events(current_user.school_id, action), page=request.args.get("page", 1, type=int) or 1,
                       per_page=current_app.config["API_PER_PAGE"], error_out=False, count=True)
    return render_template("school/audit.html", page=page, action=action, actions=ACTIONS, labels=LABELS,
                           names=account_names(page.items))
