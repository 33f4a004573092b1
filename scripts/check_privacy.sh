#!/usr/bin/env bash
# Issue 17's "How it is checked", over the JSON API on a fresh `make run` (its own instance folder and port):
# a student's recording is deleted and its audio file and session are gone; GET /api/me/export returns a zip
# with the student's reports and audio; `flask purge-expired` with the clock past the retention removes the
# expired audio. Prints one line per check and exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5123}
export PODIUM_INSTANCE_DIR=${PODIUM_INSTANCE_DIR:-$(mktemp -d /tmp/podium-check-XXXXXX)}
BASE="http://127.0.0.1:${PORT}"
LOG="$PODIUM_INSTANCE_DIR/run.log"

setsid make run PORT="$PORT" >"$LOG" 2>&1 &
RUN=$!
trap 'kill -TERM -- -"$RUN" 2>/dev/null || true; wait "$RUN" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -fs "$BASE/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$BASE/health" >/dev/null || { echo "FAIL: the app did not start (see $LOG)"; exit 1; }

token() { curl -fs -X POST "$BASE/token" -H 'Content-Type: application/json' \
  -d "{\"username\": \"$1\", \"password\": \"podium-demo\"}" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }
STUDENT=$(token amira)
AUTH=(-H "Authorization: Bearer $STUDENT")
UPLOADS="$PODIUM_INSTANCE_DIR/uploads"

sessions=$(curl -fs "${AUTH[@]}" "$BASE/api/me/sessions")
ids=$(echo "$sessions" | .venv/bin/python -c 'import json,sys; print(" ".join(str(s["id"]) for s in json.load(sys.stdin)["sessions"] if s["status"] == "done"))')
read -r -a done_ids <<<"$ids"
[ "${#done_ids[@]}" -ge 2 ] || { echo "FAIL: amira has fewer than two finished sessions"; exit 1; }
victim=${done_ids[0]}
[ -n "$(ls -A "$UPLOADS/sessions/$victim" 2>/dev/null)" ] || { echo "FAIL: session $victim has no audio file"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "${AUTH[@]}" "$BASE/api/me/sessions/$victim")
[ "$code" = 204 ] || { echo "FAIL: DELETE /api/me/sessions/$victim answered $code"; exit 1; }
[ ! -e "$UPLOADS/sessions/$victim" ] || [ -z "$(ls -A "$UPLOADS/sessions/$victim")" ] || { echo "FAIL: audio of $victim still on disk"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" "$BASE/api/me/sessions/$victim")
[ "$code" = 404 ] || { echo "FAIL: the deleted session still answers $code"; exit 1; }
echo "ok: DELETE /api/me/sessions/$victim -> 204; its audio folder and its session are gone (GET -> 404)"

curl -fs "${AUTH[@]}" "$BASE/api/me/export" -o "$PODIUM_INSTANCE_DIR/export.zip"
.venv/bin/python - "$PODIUM_INSTANCE_DIR/export.zip" "$victim" <<'PY'
import json, sys, zipfile
archive = zipfile.ZipFile(sys.argv[1])
data = json.loads(archive.read("podium.json"))
reports = [s for s in data["sessions"] if s["report"]]
audio = [s["audio"] for s in data["sessions"] if s["audio"]]
assert reports and audio, "the export has no reports or no audio"
assert all(archive.getinfo(name).file_size > 0 for name in audio)
assert int(sys.argv[2]) not in {s["id"] for s in data["sessions"]}, "the deleted session is in the export"
print(f"ok: GET /api/me/export -> zip with {len(data['sessions'])} sessions, {len(reports)} reports, "
      f"{len(audio)} recordings, for {data['account']['name']}")
PY

later=$(date -u -d '+400 days' +%Y-%m-%d)
before=$(find "$UPLOADS/sessions" -type f | wc -l)
.venv/bin/flask --app wsgi.py purge-expired --as-of "$later" | sed 's/^/  purge: /'
after=$({ find "$UPLOADS/sessions" -type f 2>/dev/null || true; } | wc -l)
[ "$before" -gt 0 ] && [ "$after" = 0 ] || { echo "FAIL: $after of $before recordings left after the purge"; exit 1; }
echo "ok: flask purge-expired --as-of $later removed all $before recording files past the 365-day retention"
