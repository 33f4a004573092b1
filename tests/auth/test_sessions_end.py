"""Sessions end when they should: logout, a password change and a reset end every cookie and token."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.extensions import db
from app.models import User
from app.school.settings import set_school_setting

from ..conftest import BrowserClient
from ..factories import PASSWORD, make_school, make_student, make_teacher

NEW_PASSWORD = "violet kettle harbour 42"


def logged_in_browser(app, login, remember=False) -> BrowserClient:
    browser = BrowserClient(app.test_client())
    browser.get("/login")
    data = {"login": login, "password": PASSWORD} | ({"remember_me": "y"} if remember else {})
    response = browser.post_form("/login", data)
    assert response.status_code == 302, response.data
    return browser


def clone(app, browser: BrowserClient, names=("session", "remember_token")) -> BrowserClient:
    """Another client holding copies of *browser*'s cookies, as a thief would."""
    copy = BrowserClient(app.test_client())
    for name in names:
        cookie = browser.client.get_cookie(name)
        if cookie is not None:
            copy.client.set_cookie(name, cookie.value)
    return copy


def test_logout_ends_a_copied_session_cookie(app):
    with app.app_context():
        make_student(email="s@example.com")
    browser = logged_in_browser(app, "s@example.com")
    thief = clone(app, browser)
    assert thief.get("/student/").status_code == 200
    browser.get("/student/")
    browser.post_form("/logout")
    assert thief.get("/student/").status_code == 302
    assert thief.get("/api/me").status_code == 401


def test_logout_in_the_browser_ends_bearer_tokens_too(app, client):
    with app.app_context():
        make_teacher(email="t@example.com")
    token = client.post("/token", json={"username": "t@example.com", "password": PASSWORD}).get_json()["access_token"]
    browser = logged_in_browser(app, "t@example.com")
    browser.get("/teacher/")
    browser.post_form("/logout")
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_api_logout_ends_the_browser_session(app, client):
    with app.app_context():
        make_teacher(email="t@example.com")
    browser = logged_in_browser(app, "t@example.com")
    token = client.post("/token", json={"username": "t@example.com", "password": PASSWORD}).get_json()["access_token"]
    assert client.post("/api/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert browser.get("/teacher/").status_code == 302


def test_adult_remember_me_lasts_at_most_30_days_and_ends_at_logout(app):
    with app.app_context():
        make_teacher(email="t@example.com")
    browser = logged_in_browser(app, "t@example.com", remember=True)
    cookie = browser.client.get_cookie("remember_token")
    assert cookie is not None
    days = (cookie.expires - datetime.now(timezone.utc)).days
    assert 28 <= days <= 30
    remembered = clone(app, browser, names=("remember_token",))
    assert remembered.get("/teacher/").status_code == 200  # the cookie alone logs in
    browser.get("/teacher/")
    browser.post_form("/logout")
    assert clone(app, remembered, names=("remember_token",)).get("/teacher/").status_code == 302


def test_students_get_no_remember_me_unless_their_school_allows_it(app):
    with app.app_context():
        student = make_student(username="mayap")
        make_student(username="leon")
    assert logged_in_browser(app, "mayap", remember=True).client.get_cookie("remember_token") is None
    with app.app_context():
        school = make_school()
        set_school_setting(school, "student_remember_me", True)
        db.session.get(User, student.id).school_id = school.id
        db.session.commit()
    assert logged_in_browser(app, "mayap", remember=True).client.get_cookie("remember_token") is not None
    assert logged_in_browser(app, "leon", remember=True).client.get_cookie("remember_token") is None


def test_the_session_is_cleared_at_log_in(app):
    with app.app_context():
        make_student(email="s@example.com")
    browser = BrowserClient(app.test_client())
    browser.get("/login")
    with browser.client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    browser.post_form("/login", {"login": "s@example.com", "password": PASSWORD})
    with browser.client.session_transaction() as sess:
        assert "planted" not in sess and sess["_user_id"].endswith(":1")


def test_changing_your_password_ends_other_sessions_but_keeps_this_one(app, client):
    with app.app_context():
        make_teacher(email="t@example.com")
    here = logged_in_browser(app, "t@example.com")
    elsewhere = logged_in_browser(app, "t@example.com")
    token = client.post("/token", json={"username": "t@example.com", "password": PASSWORD}).get_json()["access_token"]
    here.get("/account/password")
    def change(current, new):
        return here.post_form("/account/password", {"current_password": current, "password": new, "confirm": new})

    assert b"too easy to guess" in change(PASSWORD, "password1").data
    assert b"not your current password" in change("nope", NEW_PASSWORD).data
    done = change(PASSWORD, NEW_PASSWORD)
    assert done.status_code == 302
    assert here.get("/teacher/").status_code == 200
    assert elsewhere.get("/teacher/").status_code == 302
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/token", json={"username": "t@example.com", "password": NEW_PASSWORD}).status_code == 200


@pytest.mark.parametrize("adult, weak_ok", [(True, False), (False, True)])
def test_api_password_change_applies_the_rules_for_the_account(app, client, adult, weak_ok):
    with app.app_context():
        user = make_teacher(email="u@example.com") if adult else make_student(email="u@example.com")
    token = client.post("/token", json={"username": "u@example.com", "password": PASSWORD}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/me/password", json={"current_password": PASSWORD, "new_password": "sunflower7"},
                           headers=headers)
    assert (response.status_code == 200) is weak_ok, response.get_json()
    if not weak_ok:
        assert "too easy to guess" in response.get_json()["errors"]["new_password"][0]
    else:
        assert client.get("/api/me", headers=headers).status_code == 401
    with app.app_context():
        assert db.session.get(User, user.id).check_password("sunflower7") is weak_ok


def test_a_deactivated_accounts_cookie_stops_working(app):
    with app.app_context():
        teacher = make_teacher(email="t@example.com")
    browser = logged_in_browser(app, "t@example.com")
    with app.app_context():
        db.session.get(User, teacher.id).deactivated_at = datetime.now(timezone.utc)
        db.session.commit()
    assert browser.get("/teacher/").status_code == 302
