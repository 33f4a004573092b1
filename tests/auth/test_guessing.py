"""Guessing is slowed: per-address limits with 429 + Retry-After, a growing per-account lockout that
answers exactly like a wrong password, and the same work for unknown and known accounts."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from app.config import Config, TestConfig
from app.extensions import db
from app.models import User, utcnow

from ..conftest import BrowserClient, bearer_for
from ..factories import PASSWORD, make_classroom, make_student


def token(client, login, password, address="10.0.0.1"):
    return client.post("/token", json={"username": login, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_after_five_wrong_passwords_the_right_one_waits_and_the_answer_is_the_same(app, client):
    with app.app_context():
        student = make_student(username="mayap")
    wrong = [token(client, "mayap", f"wrong-{i}", address=f"10.0.1.{i}") for i in range(5)]
    assert all(r.status_code == 401 for r in wrong)
    locked = token(client, "mayap", PASSWORD, address="10.0.2.1")
    assert (locked.status_code, locked.get_json()) == (wrong[0].status_code, wrong[0].get_json())
    unknown = token(client, "nobody", PASSWORD, address="10.0.2.2")
    assert (unknown.status_code, unknown.get_json()) == (locked.status_code, locked.get_json())
    with app.app_context():
        row = db.session.get(User, student.id)
        assert row.failed_logins == 5
        assert timedelta(seconds=25) < row.locked_until - utcnow() <= timedelta(seconds=30)
        row.locked_until = utcnow() - timedelta(seconds=1)  # the wait is over
        db.session.commit()
    assert token(client, "mayap", PASSWORD, address="10.0.2.3").status_code == 200
    with app.app_context():
        assert db.session.get(User, student.id).failed_logins == 0


def test_each_wrong_password_after_a_wait_doubles_the_next_wait(app, client):
    with app.app_context():
        student = make_student(username="leon")
    waits = []
    for attempt in range(8):
        token(client, "leon", "wrong", address=f"10.0.3.{attempt}")
        with app.app_context():
            row = db.session.get(User, student.id)
            if row.locked_until:
                waits.append(round((row.locked_until - utcnow()).total_seconds() / 10) * 10)
                row.locked_until = utcnow() - timedelta(seconds=1)
                db.session.commit()
    assert waits == [30, 60, 120, 240]


def test_tries_while_locked_are_not_counted(app, client):
    with app.app_context():
        student = make_student(username="samo")
    for i in range(12):
        token(client, "samo", "wrong", address=f"10.0.4.{i}")
    with app.app_context():
        assert db.session.get(User, student.id).failed_logins == 5


def test_eleventh_failed_login_from_one_address_gets_429_with_retry_after(app, client):
    with app.app_context():
        make_student(email="s@example.com")
    for i in range(10):
        assert token(client, f"nobody{i}", "wrong").status_code == 401
    refused = token(client, "s@example.com", PASSWORD)
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 0 < wait <= 61 and refused.get_json()["retry_after"] == wait and "Wait" in refused.get_json()["message"]
    assert token(client, "s@example.com", PASSWORD, address="10.9.9.9").status_code == 200  # another address


def test_the_web_login_shares_the_limit_and_answers_with_a_page(app):
    browser = BrowserClient(app.test_client())
    browser.get("/login")
    for i in range(5):
        token(browser.client, f"nobody{i}", "wrong", address="127.0.0.1")
    for i in range(5):
        page = browser.post_form("/login", {"login": f"nobody{i}", "password": "wrong"})
        assert page.status_code == 200
    refused = browser.post_form("/login", {"login": "nobody", "password": "wrong"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert b"Too many tries" in refused.data and refused.mimetype == "text/html"
    assert browser.get("/login").status_code == 200  # reading the page is not limited


def test_a_whole_class_logging_in_at_once_is_not_limited(app, client):
    with app.app_context():
        students = [make_student(username=f"pupil{i}") for i in range(25)]
    for student in students:
        assert token(client, student.username, PASSWORD).status_code == 200


def test_forwarded_for_is_not_trusted_without_a_proxy(app, client):
    for i in range(10):
        client.post("/token", json={"username": "x", "password": "y"}, headers={"X-Forwarded-For": f"1.2.3.{i}"})
    assert client.post("/token", json={"username": "x", "password": "y"},
                       headers={"X-Forwarded-For": "5.6.7.8"}).status_code == 429


def test_wrong_join_codes_are_limited(app, client):
    with app.app_context():
        student = make_student()
        classroom = make_classroom()
    headers = bearer_for(app, student)
    for _ in range(10):
        assert client.post("/api/classes/join", json={"join_code": "NOPE1234"}, headers=headers).status_code == 404
    assert client.post("/api/classes/join", json={"join_code": classroom.join_code}, headers=headers).status_code == 429


def test_sign_up_is_limited_per_address(app, client):
    app.config["SIGNUP_RATE_LIMIT"] = "3 per hour"
    try:
        codes = [client.post("/users/signup", json={"email": f"s{i}@example.com", "password": "longenough1",
                                                    "name": "S"}).status_code for i in range(4)]
    finally:
        app.config["SIGNUP_RATE_LIMIT"] = Config.SIGNUP_RATE_LIMIT
    assert codes == [201, 201, 201, 429]


def test_unknown_accounts_take_as_long_as_known_ones(app, client):
    """With a slow hash, an unknown login must spend about as long as a wrong password for a real one."""
    slow = "pbkdf2:sha256:200000"
    app.config["PASSWORD_HASH_METHOD"] = slow
    try:
        with app.app_context():
            user = make_student(username="timed")
            user.set_password(PASSWORD, slow)
            db.session.commit()
        known, unknown = [], []
        for i in range(6):
            for login, bucket in (("timed", known), ("nosuchuser", unknown)):
                with app.app_context():  # keep the lockout out of the measurement
                    db.session.get(User, user.id).failed_logins = 0
                    db.session.commit()
                started = time.perf_counter()
                token(client, login, "wrong", address=f"10.1.{i}.{len(bucket)}")
                bucket.append(time.perf_counter() - started)
    finally:
        app.config["PASSWORD_HASH_METHOD"] = TestConfig.PASSWORD_HASH_METHOD
    # The fastest of each: load from the other test workers only ever adds time (a busy spell once doubled the
    # last few unknown-account medians), and a login that skipped the hash would still be far quicker.
    ratio = min(unknown) / min(known)
    assert 0.6 < ratio < 1.7, (known, unknown)


@pytest.mark.parametrize("path", ["/invite/not-a-real-token", "/password/new/not-a-real-token"])
def test_guessing_link_tokens_is_limited(client, path):
    codes = [client.get(path).status_code for _ in range(11)]
    assert codes[:10] == [404] * 10 and codes[10] == 429


@pytest.mark.parametrize(
    "method, ok",
    [("scrypt:131072:8:1", True), ("scrypt:262144:8:2", True), ("scrypt:32768:8:1", False), ("scrypt", False),
     ("pbkdf2:sha256:1000000", False)],
)
def test_production_refuses_a_password_hash_cheaper_than_owasps(tmp_path, method, ok):
    from app import create_app

    config = {"ENV_NAME": "production", "SECRET_KEY": "k", "PASSWORD_HASH_METHOD": method,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}", "INSTANCE_DIR": str(tmp_path),
              "UPLOAD_DIR": str(tmp_path / "uploads")}
    if ok:
        assert create_app(config).config["PASSWORD_HASH_METHOD"] == method
    else:
        with pytest.raises(RuntimeError, match="PASSWORD_HASH_METHOD"):
            create_app(config)


def test_the_default_hash_is_owasps_scrypt():
    from app.auth.passwords import meets_owasp_cost

    assert meets_owasp_cost(Config.PASSWORD_HASH_METHOD)
