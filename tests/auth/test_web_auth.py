"""Browser sign-up, log-in and log-out through the real forms with CSRF on."""
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User

from ..factories import PASSWORD, make_student, make_teacher


def signup(browser, **fields):
    browser.get("/signup")
    data = {"name": "Maya Patel", "email": "maya@example.com", "password": "longenough1",
            "confirm": "longenough1", "role": "student"} | fields
    return browser.post_form("/signup", data)


def count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_student_signup_logs_in_and_hashes_password(app, browser):
    response = signup(browser)
    assert response.status_code == 302 and response.headers["Location"].endswith("/student/")
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.role == "student" and user.email == "maya@example.com"
        assert "longenough1" not in user.password_hash and user.check_password("longenough1")
    assert b"Hi Maya" in browser.get("/student/").data


@pytest.mark.parametrize("role", ["teacher", "admin"])
def test_teacher_signup_is_refused_with_how_teachers_join(app, browser, role):
    response = signup(browser, role=role, email="t@example.com")
    assert response.status_code == 403 and b"invitation" in response.data
    assert count_users(app) == 0


def test_signup_page_offers_no_teacher_choice(browser):
    page = browser.get("/signup").data
    assert b'value="teacher"' not in page and b"by invitation" in page


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": "not-an-email"}, b"doesn&#39;t look like an email"),
        ({"password": "short", "confirm": "short"}, b"at least 8 characters"),
        ({"name": ""}, b"Tell us your name"),
        ({"confirm": "different1"}, b"passwords don&#39;t match"),
    ],
)
def test_signup_field_errors_write_nothing(app, browser, fields, message):
    response = signup(browser, **fields)
    assert response.status_code == 200 and message in response.data
    assert count_users(app) == 0


def test_duplicate_email_in_any_case_is_refused(app, browser):
    with app.app_context():
        make_student(email="maya@example.com")
    response = signup(browser, email="MAYA@Example.COM")
    assert b"already exists" in response.data
    assert count_users(app) == 1


def test_login_wrong_password_shows_field_error(app, browser):
    with app.app_context():
        make_student(email="sam@example.com")
    browser.get("/login")
    response = browser.post_form("/login", {"login": "sam@example.com", "password": "wrong-password"})
    assert response.status_code == 200 and b"don&#39;t match an account" in response.data


def test_login_follows_only_local_next(app, browser):
    with app.app_context():
        make_teacher(email="t@example.com")
    browser.get("/login")
    ok = browser.post_form("/login?next=/teacher/", {"login": "T@example.com", "password": PASSWORD})
    assert ok.headers["Location"] == "/teacher/"
    browser.post_form("/logout")
    browser.get("/login")
    evil = browser.post_form("/login?next=https://evil.example/phish", {"login": "t@example.com", "password": PASSWORD})
    assert "evil.example" not in evil.headers["Location"]
    browser.post_form("/logout")
    browser.get("/login")
    evil2 = browser.post_form("/login?next=//evil.example", {"login": "t@example.com", "password": PASSWORD})
    assert "evil.example" not in evil2.headers["Location"]


def test_logout_requires_post_with_csrf(app, browser):
    with app.app_context():
        make_student(email="s@example.com")
    browser.get("/login")
    browser.post_form("/login", {"login": "s@example.com", "password": PASSWORD})
    assert browser.get("/logout").status_code == 405
    assert browser.client.post("/logout").status_code in (302, 303)  # refused: CSRF missing, sent back
    assert browser.get("/student/").status_code == 200  # still logged in
    browser.get("/student/")
    browser.post_form("/logout")
    assert browser.get("/student/").status_code == 302


def test_form_without_csrf_token_is_refused_and_writes_nothing(app, client):
    response = client.post("/signup", data={"name": "X", "email": "x@example.com", "password": "longenough1",
                                            "confirm": "longenough1", "role": "student"})
    assert response.status_code == 200 and b"security check expired" in response.data
    assert b'value="x@example.com"' in response.data  # what the user typed is kept
    assert count_users(app) == 0


def test_stale_csrf_token_keeps_the_login(app, browser):
    with app.app_context():
        make_student(email="s@example.com")
    browser.get("/login")
    browser.post_form("/login", {"login": "s@example.com", "password": PASSWORD})
    browser.get("/student/")
    response = browser.post_form("/student/join", {"join_code": "ABCDEFGH", "csrf_token": "stale-token"})
    assert response.status_code == 200 and b"security check expired" in response.data
    assert browser.get("/student/").status_code == 200


def test_session_cookie_flags(app, browser):
    with app.app_context():
        make_student(email="s@example.com")
    browser.get("/login")
    response = browser.post_form("/login", {"login": "s@example.com", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and re.search("SameSite=Lax", cookie, re.I)


def test_password_never_logged(app, browser, caplog):
    caplog.set_level("DEBUG")
    signup(browser, password="sup3r-secret-pw", confirm="sup3r-secret-pw")
    assert "sup3r-secret-pw" not in caplog.text
