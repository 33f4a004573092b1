#!/usr/bin/env bash
# Serve Podium: gunicorn for the web and a Celery worker for analysis, started and stopped together.
# The worker is restarted if it dies; queued and interrupted analyses are picked up again
# (see docs/jobs.md). Workers on other machines need only the same DATABASE_URL,
# CELERY_BROKER_URL and upload folder.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5000}
BIN=.venv/bin
# Each analysis already uses two CPU threads, so one worker process per two cores fills the machine.
CONCURRENCY=${WORKER_CONCURRENCY:-$(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 ))}

supervise_worker() {
  local child=""
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait 2>/dev/null; exit 0' TERM INT
  while true; do
    "$BIN/celery" -A app.jobs.worker worker --loglevel=WARNING --concurrency="$CONCURRENCY" -n "podium@%h" &
    child=$!
    wait "$child" || true
    echo "[serve] the Celery worker stopped; restarting it in 2 s (no queued work is lost)" >&2
    sleep 2
  done
}

supervise_worker &
supervisor=$!
trap 'kill -TERM "$supervisor" 2>/dev/null; wait "$supervisor" 2>/dev/null' EXIT
echo "Podium is running on http://127.0.0.1:${PORT}  (Ctrl+C stops it; ${CONCURRENCY} analysis worker process(es))"
echo "  Admin: admin@podium.test   Teacher: teacher@podium.test   Students: maya, leo, amira, sam   (password podium-demo)"
$BIN/gunicorn --config deploy/gunicorn.conf.py --bind "127.0.0.1:${PORT}" wsgi:app
