#!/usr/bin/env bash
# Serve Podium: gunicorn for the web, a Celery worker for analysis and Celery beat for the periodic
# work (app/jobs/schedule.py), started and stopped together. Worker and beat are restarted if they
# die; queued and interrupted analyses are picked up again (see docs/jobs.md). Workers on other
# machines need only the same DATABASE_URL, CELERY_BROKER_URL and STORAGE_URL (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5000}
BIN=.venv/bin
# Each analysis already uses two CPU threads, so one worker process per two cores fills the machine.
CONCURRENCY=${WORKER_CONCURRENCY:-$(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 ))}

# Told to stop, a Celery process finishes the analysis it is running (warm shutdown) for at most this
# long; then it stops at once (cold shutdown) and the sweep gives the interrupted analysis to a worker later.
STOP_GRACE_SECONDS=${STOP_GRACE_SECONDS:-10}

# stop PID: warm shutdown, then cold shutdown if PID is still running after STOP_GRACE_SECONDS.
stop() {
  local pid=$1 waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $(( STOP_GRACE_SECONDS * 2 )) ]; do
    sleep 0.5
    waited=$(( waited + 1 ))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "[serve] stopping the Celery process now; its analysis will be run again later" >&2
    kill -QUIT "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
}

# supervise NAME COMMAND...: run COMMAND, restarting it 2 s after it stops, until told to stop.
supervise() {
  local name=$1 child=""
  shift
  trap '[ -n "$child" ] && stop "$child"; exit 0' TERM INT
  while true; do
    "$@" &
    child=$!
    wait "$child" || true
    echo "[serve] the Celery $name stopped; restarting it in 2 s (no queued work is lost)" >&2
    sleep 2
  done
}

supervise worker "$BIN/celery" -A app.jobs.worker worker --loglevel=WARNING --concurrency="$CONCURRENCY" \
  -n "podium@%h" &
worker=$!
# Exactly one beat per deployment: it sends the recovery sweep and the other periodic tasks.
supervise beat "$BIN/celery" -A app.jobs.worker beat --loglevel=WARNING &
beat=$!
trap 'kill -TERM "$worker" "$beat" 2>/dev/null; wait "$worker" "$beat" 2>/dev/null' EXIT
echo "Podium is running on http://127.0.0.1:${PORT}  (Ctrl+C stops it; ${CONCURRENCY} analysis worker process(es))"
echo "  Admin: admin@podium.test   Teacher: teacher@podium.test   Students: maya, leo, amira, sam   (password podium-demo)"
$BIN/gunicorn --config deploy/gunicorn.conf.py --bind "127.0.0.1:${PORT}" wsgi:app
