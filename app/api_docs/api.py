"""The document itself."""
from flask import current_app, jsonify

from app.auth.guards import public

from .blueprint import bp
from .document import build_document


@bp.route("/api/openapi.json")
@public
def openapi():
    return jsonify(build_document(current_app))
