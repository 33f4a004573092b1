"""Health for load balancers and monitoring: /health (alive), /ready (can serve), /metrics (Prometheus)."""
from hmac import compare_digest

from flask import Response, abort, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST

from app.auth.guards import public

from .blueprint import bp
from .metrics import exposition
from .readiness import readiness


@bp.route("/health")
@public
def check():
    return jsonify({"status": "ok"})


@bp.route("/ready")
@public
def ready():
    failed = readiness()
    if failed:
        return jsonify({"status": "not ready", "failed": failed}), 503
    return jsonify({"status": "ready"})


@bp.route("/metrics")
@public  # guarded by METRICS_TOKEN below, the way Prometheus authenticates (a bearer token)
def metrics():
    token = current_app.config["METRICS_TOKEN"]
    if not token:
        abort(404)
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not compare_digest(offered.encode(), token.encode()):
        return Response("A valid bearer token is needed.\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'},
                        mimetype="text/plain")
    return Response(exposition(current_app.config), mimetype=CONTENT_TYPE_LATEST)
