#!/usr/bin/env bash
# Serve Podium: a Celery worker for analysis beside gunicorn for the web, stopped together.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5000}
BIN=.venv/bin
$BIN/celery -A app.jobs.worker worker --loglevel=WARNING --concurrency=${WORKER_CONCURRENCY:-1} &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "Podium is running on http://127.0.0.1:${PORT}  (Ctrl+C stops it)"
echo "  Teacher: teacher@podium.test / podium-demo     Students: maya@podium.test, leo@, amira@, sam@ (same password)"
$BIN/gunicorn --config deploy/gunicorn.conf.py --bind "127.0.0.1:${PORT}" wsgi:app
