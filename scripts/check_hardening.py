"""The checks of issue 18 against a running Podium (a fresh `make run`): prints one line per check and exits 1
if any fails. Usage: .venv/bin/python scripts/check_hardening.py [http://127.0.0.1:5000]

Uses the demo teacher (seeded by `make run`) and signs up one new student for the quota check."""
from __future__ import annotations

import io
import json
import secrets
import sys
import time
import urllib.error
import urllib.request
import wave
import zipfile

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000").rstrip("/")
DEMO_TEACHER = {"username": "teacher@podium.test", "password": "podium-demo"}
MB = 1024 * 1024


def call(method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None):
    request = urllib.request.Request(BASE + path, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (a URL the caller named)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post_json(path: str, data: dict, headers: dict[str, str] | None = None):
    return call("POST", path, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                  f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def token_for(status_body) -> dict[str, str]:
    status, _headers, body = status_body
    if status not in (200, 201):
        raise SystemExit(f"could not get a token: {status} {body[:200]!r}")
    return {"Authorization": f"Bearer {json.loads(body)['access_token']}"}


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    line = b"a.wav,The quick brown fox jumps over the lazy dog.\n" * 1024
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("references.csv", "w") as out:
            for _ in range(100 * MB // len(line)):
                out.write(line)
    return buffer.getvalue()


def silence_wav(seconds: float = 1.0) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * int(16000 * seconds))
    return buffer.getvalue()


def main() -> int:
    results: list[tuple[bool, str]] = []

    def check(ok: bool, what: str) -> None:
        results.append((ok, what))
        print(f"{'ok  ' if ok else 'FAIL'} {what}")

    status, _h, _b = post_json("/token", {"username": "x", "password": "x" * (2 * MB)})
    check(status == 413, f"a 2 MB JSON body to /token gets 413 (got {status})")

    teacher = token_for(post_json("/token", DEMO_TEACHER))
    body, content_type = multipart({"kind": "pronunciation"}, {"files": ("bomb.zip", zip_bomb())})
    began = time.perf_counter()
    status, _h, _b = call("POST", "/api/analyze-batch/start", body, {"Content-Type": content_type, **teacher})
    elapsed = time.perf_counter() - began
    check(400 <= status < 500 and elapsed < 1.0, f"the zip bomb gets a 4xx quickly (got {status} in {elapsed:.2f} s)")

    for path in ("/login", "/api/docs", "/api/me"):
        _status, headers, _b = call("GET", path)
        csp = headers.get("Content-Security-Policy", "")
        ok = "frame-ancestors 'none'" in csp and headers.get("X-Content-Type-Options") == "nosniff"
        check(ok, f"{path} carries the CSP with frame-ancestors and nosniff")

    status, headers, body = call("GET", "/api/me")
    check(status == 401 and headers.get("Content-Type", "").startswith("application/json"),
          f"an anonymous API call gets 401 JSON (got {status})")

    status, _h, body = call("GET", "/api/openapi.json")
    check(status == 200 and "/api/analyze-chunked" in json.loads(body).get("paths", {}),
          "the OpenAPI document lists /api/analyze-chunked")

    email, password = f"check{secrets.token_hex(4)}@example.org", secrets.token_hex(8)
    status, _h, body = post_json("/users/signup", {"name": "Quota Check", "email": email, "password": password})
    if status != 201:
        raise SystemExit(f"could not sign up a student: {status} {body[:200]!r}")
    student = token_for(post_json("/token", {"username": email, "password": password}))
    statuses = []
    for _ in range(30):
        body, content_type = multipart({}, {"audio": ("take.wav", silence_wav())})
        status, headers, answer = call("POST", "/api/analyze-chunked", body, {"Content-Type": content_type, **student})
        statuses.append(status)
        if status == 429:
            message = json.loads(answer).get("message", "")
            check("Retry-After" in headers and message, f"analysis {len(statuses)} gets 429, Retry-After "
                  f"{headers.get('Retry-After')}: {message}")
            break
    else:
        check(False, f"30 quick analyses by one student end in 429 (got {sorted(set(statuses))})")

    return 0 if all(ok for ok, _what in results) else 1


if __name__ == "__main__":
    sys.exit(main())
