"""The school's audit trail over JSON, for its admin."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from app.audit import school_events
from app.auth.guards import admin_required
from app.pagination import paginate_query

from .blueprint import bp
from .views_audit import chosen_action


@bp.route("/api/school/audit")
@admin_required
def api_audit():
    page = paginate_query(school_events(current_user.school_id, chosen_action()))
    return jsonify({"events": [event.to_json() for event in page.items], **page.fields()})
