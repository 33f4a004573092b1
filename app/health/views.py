"""The liveness check: answers as soon as the app can serve a request."""
from flask import jsonify

from app.auth.guards import public

from .blueprint import bp


@bp.route("/health")
@public
def check():
    return jsonify({"status": "ok"})
