#!/usr/bin/env bash
# supervise.sh NAME COMMAND...: run a Celery COMMAND for scripts/serve.sh, starting it again 2 s after it
# stops, until told to stop (TERM). Told to stop, the Celery process finishes the analysis it is running
# (warm shutdown) for at most STOP_GRACE_SECONDS, then stops at once (cold shutdown); the sweep gives an
# interrupted analysis to a worker later. A script of its own, not a function of serve.sh: bash mishandles
# a trap that fires while a function waits ("pop_var_context"), and then restarted what it should stop.
set -u
name=$1
shift
grace=${STOP_GRACE_SECONDS:-10}
child="" nap="" stopping=""

on_stop() {
  stopping=1
  [ -n "$nap" ] && kill "$nap" 2>/dev/null
  if [ -n "$child" ] && kill -TERM "$child" 2>/dev/null; then
    for _ in $(seq $(( grace * 2 ))); do
      kill -0 "$child" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$child" 2>/dev/null; then
      echo "[serve] stopping the Celery $name now; its analysis will be run again later" >&2
      kill -QUIT "$child" 2>/dev/null
    fi
    wait "$child" 2>/dev/null
  fi
  exit 0
}
trap on_stop TERM INT

while [ -z "$stopping" ]; do
  "$@" &
  child=$!
  wait "$child" || true
  # The pause runs in the background so that being told to stop ends it at once, before any restart.
  sleep 2 &
  nap=$!
  wait "$nap" 2>/dev/null || true
  [ -z "$stopping" ] && echo "[serve] the Celery $name stopped; restarting it (no queued work is lost)" >&2
done
