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

# Worker and beat each run under scripts/supervise.sh, which restarts them if they die.
bash scripts/supervise.sh worker "$BIN/celery" -A app.jobs.worker worker --loglevel=WARNING \
  --concurrency="$CONCURRENCY" -n "podium@%h" &
worker=$!
# Exactly one beat per deployment: it sends the recovery sweep and the other periodic tasks.
bash scripts/supervise.sh beat "$BIN/celery" -A app.jobs.worker beat --loglevel=WARNING &
beat=$!
echo "Podium is running on http://127.0.0.1:${PORT}  (Ctrl+C stops it; ${CONCURRENCY} analysis worker process(es))"
echo "  Admin: admin@podium.test   Teacher: teacher@podium.test   Students: maya, leo, amira, sam   (password podium-demo)"
$BIN/gunicorn --config deploy/gunicorn.conf.py --bind "127.0.0.1:${PORT}" wsgi:app &
web=$!

# Ctrl+C reaches every process of the terminal, but background shells ignore it (bash's rule for jobs
# started with &), so the supervisors would restart the workers it stopped. This shell tells them to
# stop instead, then waits for all three. gunicorn stops on its own; TERM covers a plain `kill`.
shutdown() {
  trap '' INT TERM
  echo "[serve] stopping Podium" >&2
  kill -TERM "$web" "$worker" "$beat" 2>/dev/null
  wait "$web" "$worker" "$beat" 2>/dev/null
  exit 0
}
trap shutdown INT TERM
# Waiting in the background (not running gunicorn in the foreground) lets the trap run at once; if
# gunicorn itself stops, the rest stop with it.
wait "$web" || true
shutdown
