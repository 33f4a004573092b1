"""How issue 19 is checked, scripted: with STORAGE_URL pointing at an S3-compatible server, `make run`
serves, a student's recording lands in the bucket (not the upload folder) and its report comes back.

Usage (from the repo root):  .venv/bin/python scripts/check_object_storage.py

It starts moto's S3 server (tests/servers.py), runs `make run` with a fresh instance folder and
STORAGE_URL=s3://…, logs in as the demo student maya through the token API, uploads espeak-ng
speech through the upload API, waits for the report, checks where the bytes are, and saves a
headless-Chromium screenshot of the report page to test-artifacts/object-storage-report.png.
Prints one line per check; exits non-zero on the first that fails.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.system_programs import find_program  # noqa: E402
from tests.servers import _wait_for_port, free_port, s3_server  # noqa: E402
from tests.speech import espeak  # noqa: E402
from tests.topology import post_recording, wait_until  # noqa: E402

SPEECH = "Last summer I visited my grandmother by the sea. We walked on the beach and collected shells every day."
SCREENSHOT = ROOT / "test-artifacts" / "object-storage-report.png"


def check(ok: bool, what: str) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        raise SystemExit(1)


def api(url: str, token: str | None = None, data: dict | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - our own loopback server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="podium-s3-check-"))
    port = free_port()
    with s3_server() as s3:
        bucket = s3.create_bucket("podium-check")
        env = os.environ | s3.env | {
            "STORAGE_URL": f"s3://{bucket}/podium", "STORAGE_S3_ADDRESSING_STYLE": "path", "PORT": str(port),
            "PODIUM_INSTANCE_DIR": str(folder / "instance"), "PODIUM_UPLOAD_DIR": str(folder / "instance" / "uploads"),
        }
        env.pop("DATABASE_URL", None)
        env.pop("CELERY_BROKER_URL", None)
        with (folder / "make-run.log").open("wb") as log:
            server = subprocess.Popen([find_program("make"), "run", f"PORT={port}"], cwd=ROOT, env=env,  # noqa: S603
                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_for_port(port, server, "make run", folder / "make-run.log", timeout=900)
            site = f"http://127.0.0.1:{port}"
            wait_until(lambda: _answers(f"{site}/health"), 300, "gunicorn's processes to start", interval=2)
            check(api(f"{site}/health") == {"status": "ok"}, f"make run serves on {site}")
            ready = api(f"{site}/ready")
            check(ready == {"status": "ready"}, f"/ready: database, broker and the bucket answer ({ready})")
            demo_keys = [k for k in _keys(s3, bucket) if k.startswith("podium/sessions/")]
            check(bool(demo_keys), f"the demo's recordings were stored in the bucket ({len(demo_keys)} objects)")

            token = api(f"{site}/token", data={"username": "maya", "password": "podium-demo"})["access_token"]
            status, body = post_recording(site, token, espeak(SPEECH, folder / "speech.wav").read_bytes())
            check(status == 202, f"maya's recording was accepted: {status} {body.get('status')}")
            session_id = body["session_id"]
            key = f"podium/sessions/{session_id}/recording.wav"
            check(key in _keys(s3, bucket), f"the recording is in the bucket as {key}")
            on_disk = [p for p in (folder / "instance").rglob("*") if p.suffix in (".wav", ".webm", ".part")]
            check(on_disk == [], "no recording in the upload folder or anywhere in the instance folder")

            def finished() -> bool:
                return api(f"{site}/api/me/sessions/{session_id}/status", token)["status"] in ("done", "failed")

            wait_until(finished, 600, "the report", interval=1)
            report = api(f"{site}/api/me/sessions/{session_id}", token)
            check(report["status"] == "done" and "beach" in report["transcript"].lower(),
                  f"the report came back: {report['transcript'][:70]!r}…")
            screenshot_report(site, session_id)
            check(SCREENSHOT.exists(), f"report page screenshot: {SCREENSHOT.relative_to(ROOT)}")
        finally:
            stop(server)
    print("all checks passed")


def stop(server: subprocess.Popen) -> None:
    """Ctrl+C's stop (TERM to the whole group), then KILL for whatever of the group is left after 30 s."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(1)
    print("some of make run's processes ignored TERM for 30 s; killing them", flush=True)
    os.killpg(server.pid, signal.SIGKILL)


def _answers(url: str) -> bool:
    try:
        api(url)
        return True
    except OSError:
        return False


def _keys(s3, bucket: str) -> list[str]:
    return [item["Key"] for item in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def screenshot_report(site: str, session_id: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    SCREENSHOT.parent.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_program("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=site, viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        # Chromium asks every site for /favicon.ico by itself; Podium has none, and that 404 is no page error.
        missing = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 and "/favicon.ico" not in r.url
                else None)
        page.goto("/login")
        page.get_by_label("Username or email").fill("maya")
        page.get_by_label("Password", exact=True).fill("podium-demo")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        page.goto(f"/student/sessions/{session_id}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        audio_url = f"/student/sessions/{session_id}/audio"
        played = page.evaluate("(url) => fetch(url, {headers: {Range: 'bytes=0-99'}}).then(r => r.status)", audio_url)
        browser.close()
    errors = [e for e in errors if not (e.startswith("Failed to load resource") and not missing)]
    check(not errors and not missing, f"no console errors or failed requests on the report page ({errors[:2]}, "
          f"{missing[:2]})")
    check(played == 206, f"the recording plays back from the bucket with ranges ({played})")


if __name__ == "__main__":
    main()
