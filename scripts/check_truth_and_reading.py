#!/usr/bin/env python3
"""Check, through the JSON API of a running Podium with its demo data, issue 14's and issue 20's promises.

    .venv/bin/python scripts/check_truth_and_reading.py http://127.0.0.1:5161

One truth: the teacher overrides Maya's latest speech; at once the roster, the class summary and Maya's
/api/me/sessions give the teacher's score, and her report (JSON and page) holds no teacher-only note.
Reading fluency: Maya reads a passage aloud with one word left out (espeak-ng speech) over
/api/pronunciation; the result has WordsCorrectPerMinute and AccuracyRate; the teacher's PATCH on the
missed word changes the accuracy rate Maya sees.

Uses the standard library and the app's own espeak-ng lookup; prints one line per step, exits non-zero at
the first failure.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from check_accounts import Client, check, token_for  # noqa: E402  (a sibling script)

from app.system_programs import find_program  # noqa: E402

PASSWORD = "podium-demo"  # noqa: S105 - the demo's published password
NOTE = "telling a story in order"  # the demo class's teacher-only grammar note
PASSAGE = "The little dog ran across the green field to find its red ball."
SKIPPED = "green"


def _token(api: Client, login: str) -> str:
    status, _, body = token_for(api, login, PASSWORD)
    check(status == 200, f"{login} gets a token")
    return body["access_token"]


def one_truth(api: Client, teacher: str, maya: str) -> int:
    status, _, classes = api.json("GET", "/api/classes", token=teacher)
    check(status == 200 and classes["classes"], "the teacher lists their classes")
    class_id = classes["classes"][0]["id"]
    _, _, roster = api.json("GET", f"/api/classes/{class_id}/roster", token=teacher)
    row = next(s for s in roster["students"] if s["name"].startswith("Maya"))
    session_id = row["figures"]["impromptu"]["latest_session_id"]
    check(session_id is not None, f"Maya's latest speech is session {session_id}")
    status, _, body = api.json("PUT", f"/api/classes/{class_id}/sessions/{session_id}/override", token=teacher,
                               json_body={"score": 45, "reason": "Shorter than the task asked"})
    check(status == 200 and body["headline_score"] == 45, f"the teacher sets it to 45 ({status})")

    _, _, roster = api.json("GET", f"/api/classes/{class_id}/roster", token=teacher)
    row = next(s for s in roster["students"] if s["name"].startswith("Maya"))
    _, _, summary = api.json("GET", f"/api/classes/{class_id}/summary", token=teacher)
    in_summary = next(s for s in summary["students"] if s["name"].startswith("Maya"))
    _, _, mine = api.json("GET", "/api/me/sessions", token=maya)
    seen = {"roster": row["figures"]["impromptu"]["latest_score"],
            "summary": in_summary["figures"]["impromptu"]["latest_score"],
            "/api/me/sessions": mine["figures"]["impromptu"]["latest_score"],
            "the session in /api/me/sessions": next(s["headline_score"] for s in mine["sessions"]
                                                    if s["id"] == session_id)}
    check(set(seen.values()) == {45}, f"every view gives 45 at once: {seen}")
    status, _, raw = api.request("GET", f"/api/me/sessions/{session_id}", token=maya)
    check(status == 200 and NOTE not in raw.decode(), "Maya's report JSON holds no teacher-only note")
    page = Client(api.base)
    csrf = page.csrf_from("/login")
    page.request("POST", "/login", form={"csrf_token": csrf, "login": "maya", "password": PASSWORD})
    status, _, html = page.request("GET", f"/student/sessions/{session_id}")
    html = html.decode()
    check(status == 200 and "45" in html and NOTE not in html,
          "Maya's report page shows the teacher's 45 and no teacher-only note")
    return class_id


def _spoken(text: str, folder: Path) -> bytes:
    out = folder / "reading.wav"
    # The text is this script's own constant.
    subprocess.run([find_program("espeak-ng"), "-v", "en-us", "-s", "140", "-w", str(out), text],  # noqa: S603
                   check=True, capture_output=True, timeout=30)
    return out.read_bytes()


def _multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: audio/wav\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _error_type(word: dict) -> str | None:
    """A word's mark, where Azure's shape keeps it or flattened beside the word."""
    return word.get("ErrorType") or word.get("PronunciationAssessment", {}).get("ErrorType")


def reading_fluency(api: Client, teacher: str, maya: str, class_id: int, max_wait: float) -> None:
    with tempfile.TemporaryDirectory(prefix="podium-check-") as folder:
        audio = _spoken(PASSAGE.replace(f" {SKIPPED}", ""), Path(folder))
    body, content_type = _multipart({"reference_text": PASSAGE}, "audio", "reading.wav", audio)
    status, _, answer = api.request("POST", "/api/pronunciation", token=maya,
                                    headers={"Content-Type": content_type}, data=body)
    answer = json.loads(answer)
    check(status in (201, 202), f"Maya's reading is taken ({status})")
    session_id, deadline = answer["session_id"], time.monotonic() + max_wait
    while True:
        _, _, session = api.json("GET", f"/api/me/sessions/{session_id}", token=maya)
        if session["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(2)
    check(session["status"] == "done", f"the reading is scored ({session['status']})")
    result = session["report"]
    check(isinstance(result.get("WordsCorrectPerMinute"), (int, float)) and
          isinstance(result.get("AccuracyRate"), (int, float)),
          f"the result has WordsCorrectPerMinute {result.get('WordsCorrectPerMinute')} "
          f"and AccuracyRate {result.get('AccuracyRate')}")
    words = result["Words"]
    index = next((i for i, w in enumerate(words) if w["Word"].lower().strip(".") == SKIPPED and
                  _error_type(w) == "Omission"), None)
    check(index is not None, f"'{SKIPPED}' is marked missed out (word {index})")
    before = result["AccuracyRate"]
    status, _, review = api.json("PATCH", f"/api/classes/{class_id}/sessions/{session_id}/words/{index}",
                                 token=teacher, json_body={"error_type": "None"})
    check(status == 200, f"the teacher rejects the mark ({status})")
    _, _, session = api.json("GET", f"/api/me/sessions/{session_id}", token=maya)
    after = session["report"]["AccuracyRate"]
    check(after > before, f"the accuracy rate Maya sees goes from {before} to {after}")


def main(base: str, max_wait: float) -> None:
    api = Client(base)
    teacher, maya = _token(api, "teacher@podium.test"), _token(api, "maya")
    class_id = one_truth(api, teacher, maya)
    reading_fluency(api, teacher, maya, class_id, max_wait)
    print("all checks passed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the running app, e.g. http://127.0.0.1:5000")
    parser.add_argument("--max-wait", type=float, default=600, help="seconds to wait for the reading's result")
    args = parser.parse_args()
    main(args.base, args.max_wait)
