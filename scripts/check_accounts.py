#!/usr/bin/env python3
"""Check, through the JSON API of a running Podium, that its accounts are ones a school can trust.

    .venv/bin/python scripts/check_accounts.py http://127.0.0.1:5161 [--admin EMAIL] [--password PASSWORD]

1. Public sign-up as a teacher is refused (403).
2. The admin invites a teacher; the teacher accepts on the invite page, creates a class and adds three
   students without email; each student logs in by username.
3. A logout ends the bearer token and a copied session cookie.
4. 20 wrong passwords in a row for one student bring 429s (with memory:// limits and several gunicorn workers,
   perhaps only some) and lock the account, so the right password right after is refused too; after the
   wait it works.

Uses only the standard library; prints one line per step and exits non-zero at the first failure.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

MAX_WAIT_SECONDS = 20 * 60


class Client:
    """A small HTTP client with its own cookie jar, like one browser."""

    def __init__(self, base: str) -> None:
        if not base.startswith(("http://", "https://")):
            raise SystemExit(f"{base!r} is not an http(s) address")
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, method: str, path: str, *, json_body=None, form=None, token=None, headers=None, data=None):
        all_headers = dict(headers or {})
        if json_body is not None:
            data, all_headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        # The base was checked to be http(s) in __init__.
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=all_headers)  # noqa: S310
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def json(self, method: str, path: str, **kwargs):
        status, headers, body = self.request(method, path, **kwargs)
        try:
            return status, headers, json.loads(body or b"null")
        except ValueError:
            return status, headers, None

    def csrf_from(self, path: str) -> str:
        status, _, body = self.request("GET", path)
        check(status == 200, f"GET {path} answers 200 (got {status})")
        return re.search(rb'name="csrf-token" content="([^"]+)"', body).group(1).decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(condition: bool, what: str) -> None:
    if not condition:
        print(f"FAIL  {what}")
        sys.exit(1)
    print(f"ok    {what}")


def token_for(client: Client, login: str, password: str):
    return client.json("POST", "/token", json_body={"username": login, "password": password})


def main(base: str, admin_email: str, admin_password: str, *, max_wait: float = MAX_WAIT_SECONDS) -> None:
    api = Client(base)
    tag = uuid.uuid4().hex[:6]

    status, _, body = api.json("POST", "/users/signup", json_body={"name": "Eve", "email": f"eve{tag}@example.com",
                                                                   "password": "a long pass phrase", "role": "teacher"})
    check(status == 403, f"teacher sign-up is refused: {status} {body and body.get('message')}")

    status, _, body = token_for(api, admin_email, admin_password)
    check(status == 200, f"the admin {admin_email} gets a token")
    admin = body["access_token"]
    teacher_email, teacher_password = f"teacher{tag}@example.com", "maple orbit lantern 7"
    status, _, invite = api.json("POST", "/api/school/invites", token=admin,
                                 json_body={"email": teacher_email, "role": "teacher"})
    check(status == 201 and {"id", "invite_url", "expires_at"} <= set(invite),
          f"invite created, expires {invite.get('expires_at')}")

    invitee = Client(base)
    path = urllib.parse.urlsplit(invite["invite_url"]).path
    csrf = invitee.csrf_from(path)
    form = {"csrf_token": csrf, "name": "Ms Test", "password": teacher_password, "confirm": teacher_password}
    status, headers, _ = invitee.request("POST", path, form=form)
    check(status == 302, f"the teacher accepted the invite (redirect to {headers.get('Location')})")
    status, _, _ = invitee.request("GET", path)
    check(status == 404, "the invite works only once")

    status, _, body = token_for(api, teacher_email, teacher_password)
    check(status == 200, "the invited teacher gets a token")
    teacher = body["access_token"]
    status, _, classroom = api.json("POST", "/api/classes", token=teacher, json_body={"name": f"Check {tag}"})
    check(status == 201, f"the teacher created class {classroom.get('name')}")
    names = [f"Ada Check{tag}", f"Ben Check{tag}", f"Cleo Check{tag}"]
    status, _, body = api.json("POST", f"/api/classes/{classroom['id']}/students", token=teacher,
                               json_body={"students": [{"name": n} for n in names]})
    check(status == 201 and len(body["students"]) == 3, "three students added without email")
    students = body["students"]
    for student in students:
        status, _, body = token_for(api, student["username"], student["password"])
        check(status == 200, f"{student['name']} logs in as {student['username']!r} with {student['password']!r}")
        _, _, me = api.json("GET", "/api/me", token=body["access_token"])
        check(me["username"] == student["username"] and me["email"] is None, "  … and has no email")

    student = students[0]
    browser = Client(base)
    csrf = browser.csrf_from("/login")
    status, _, _ = browser.request("POST", "/login", form={"csrf_token": csrf, "login": student["username"],
                                                           "password": student["password"]})
    check(status == 302, "the student logs in in a browser")
    copied = Client(base)
    for cookie in browser.jar:
        copied.jar.set_cookie(cookie)
    status, _, _ = copied.json("GET", "/api/me")
    check(status == 200, "a copied session cookie works while the session lives")
    _, _, body = token_for(api, student["username"], student["password"])
    token = body["access_token"]
    status, _, _ = api.json("POST", "/api/logout", token=token)
    check(status == 200, "the student logs out (POST /api/logout)")
    status, _, body = api.json("GET", "/api/me", token=token)
    check(status == 401, f"the token no longer works: {body and body.get('message')}")
    status, _, _ = copied.json("GET", "/api/me")
    check(status == 401, "the copied session cookie no longer works")

    target = students[1]
    statuses, retry_after = [], 0
    for _ in range(20):
        status, headers, _ = token_for(api, target["username"], "wrong-password")
        statuses.append(status)
        if status == 429:
            retry_after = max(retry_after, int(headers.get("Retry-After", "0")))
    status, _, _ = token_for(api, target["username"], target["password"])
    check(status != 200, f"20 wrong passwords: {statuses.count(401)}×401, {statuses.count(429)}×429 "
                         f"(Retry-After {retry_after} s); the right password right after: {status} (locked: a delay)")
    started = time.monotonic()
    time.sleep(retry_after)
    wait = 1.0
    while True:
        status, headers, _ = token_for(api, target["username"], target["password"])
        if status == 200:
            break
        elapsed = time.monotonic() - started
        check(elapsed < max_wait, f"the right password works again within {max_wait:.0f} s")
        time.sleep(int(headers.get("Retry-After", 0)) or wait)
        wait = min(wait * 2, 30)
    check(True, f"the right password works after waiting {time.monotonic() - started:.0f} s")
    print("all checks passed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("--admin", default="admin@podium.test")
    parser.add_argument("--password", default="podium-demo")
    args = parser.parse_args()
    main(args.base_url, args.admin, args.password)
