"""Analysis routes."""
from flask import jsonify

from app.auth.guards import public

from . import bp


@bp.route("/health")
@public
def health():
    return jsonify({"status": "ok"})
