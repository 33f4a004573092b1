"""Teachers join only by an admin's invitation: create, accept once, expire, revoke; the admin's pages."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Classroom, Invite, User, utcnow

from ..conftest import BrowserClient, bearer_for, login_as
from ..factories import PASSWORD, make_admin, make_classroom, make_school, make_teacher

NEW_PASSWORD = "violet kettle harbour 42"


def invite_over_api(app, client, admin, email="new.teacher@example.com", role="teacher"):
    return client.post("/api/school/invites", json={"email": email, "role": role}, headers=bearer_for(app, admin))


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def accept(browser: BrowserClient, url: str, name="Ms Okafor", password=NEW_PASSWORD, confirm=None):
    path = "/invite/" + token_of(url)
    page = browser.get(path)
    assert page.status_code == 200, page.data
    return browser.post_form(path, {"name": name, "password": password, "confirm": confirm or password})


def test_invite_returns_link_and_expiry_and_the_teacher_joins_once(app, client, browser):
    with app.app_context():
        admin = make_admin()
    response = invite_over_api(app, client, admin, email="New.Teacher@Example.com")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"id", "invite_url", "expires_at"} and body["emailed"] is False
    assert body["invite_url"].startswith("http://localhost/invite/")
    expires = body["expires_at"]
    with app.app_context():
        row = db.session.get(Invite, body["id"])
        assert abs(row.expires_at - (row.created_at + timedelta(days=7))) < timedelta(seconds=5)
        assert token_of(body["invite_url"]) not in row.token_hash  # only the hash is stored
    assert expires

    joined = accept(browser, body["invite_url"])
    assert joined.status_code == 302 and joined.headers["Location"].endswith("/teacher/")
    with app.app_context():
        teacher = db.session.scalar(select(User).where(User.email == "new.teacher@example.com"))
        assert teacher.role == "teacher" and teacher.school_id == admin.school_id and teacher.name == "Ms Okafor"
        assert db.session.get(Invite, body["id"]).status == "accepted"
    assert browser.get("/teacher/").status_code == 200

    again = BrowserClient(app.test_client()).get("/invite/" + token_of(body["invite_url"]))
    assert again.status_code == 404 and b"already used" in again.data


def test_the_invited_teacher_can_log_in_by_token_and_create_a_class(app, client, browser):
    with app.app_context():
        admin = make_admin()
    url = invite_over_api(app, client, admin).get_json()["invite_url"]
    accept(browser, url)
    token = client.post("/token", json={"username": "new.teacher@example.com", "password": NEW_PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    created = client.post("/api/classes", json={"name": "8B"}, headers=headers)
    assert created.status_code == 201


def test_expired_and_revoked_invites_do_not_work(app, client):
    with app.app_context():
        admin = make_admin()
    expired = invite_over_api(app, client, admin, email="a@example.com").get_json()
    revoked = invite_over_api(app, client, admin, email="b@example.com").get_json()
    with app.app_context():
        db.session.get(Invite, expired["id"]).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.delete(f"/api/school/invites/{revoked['id']}", headers=bearer_for(app, admin)).status_code == 204
    for body in (expired, revoked):
        page = client.get("/invite/" + token_of(body["invite_url"]))
        assert page.status_code == 404 and b"Ask your school" in page.data
        post = client.post("/invite/" + token_of(body["invite_url"]), data={"name": "X", "password": NEW_PASSWORD})
        assert post.status_code == 404
    listed = client.get("/api/school/invites", headers=bearer_for(app, admin)).get_json()["invites"]
    assert {row["email"]: row["status"] for row in listed} == {"a@example.com": "expired", "b@example.com": "revoked"}
    with app.app_context():
        made = select(func.count(User.id)).where(User.email.in_(["a@example.com", "b@example.com"]))
        assert db.session.scalar(made) == 0


def test_a_new_invite_replaces_the_pending_one(app, client):
    with app.app_context():
        admin = make_admin()
    first = invite_over_api(app, client, admin).get_json()["invite_url"]
    second = invite_over_api(app, client, admin).get_json()["invite_url"]
    assert client.get("/invite/" + token_of(first)).status_code == 404
    assert client.get("/invite/" + token_of(second)).status_code == 200


@pytest.mark.parametrize(
    "payload, status, code",
    [
        ({"email": "not-an-email", "role": "teacher"}, 400, "invalid"),
        ({"email": "x@example.com", "role": "student"}, 400, "invalid"),
        ({"role": "teacher"}, 400, "invalid"),
        ({"email": "taken@example.com", "role": "teacher"}, 409, "email_taken"),
    ],
)
def test_bad_invites_are_refused_with_a_reason(app, client, payload, status, code):
    with app.app_context():
        admin = make_admin()
        make_teacher(email="taken@example.com")
    response = client.post("/api/school/invites", json=payload, headers=bearer_for(app, admin))
    assert response.status_code == status and response.get_json()["error"] == code
    assert response.get_json()["message"]


def test_invite_page_refuses_a_weak_password_and_keeps_the_name(app, client, browser):
    with app.app_context():
        admin = make_admin()
    url = invite_over_api(app, client, admin).get_json()["invite_url"]
    response = accept(browser, url, password="password1")
    assert response.status_code == 200 and b"too easy to guess" in response.data
    assert b'value="Ms Okafor"' in response.data
    long = accept(browser, url, password="x" * 129)
    assert b"at most 128 characters" in long.data


def test_admin_deactivates_a_teacher_and_their_classes_move(app, client):
    with app.app_context():
        admin = make_admin()
        leaving = make_teacher(school=admin.school)
        staying = make_teacher(school=admin.school)
        classroom = make_classroom(leaving, "7C")
    teacher_headers = bearer_for(app, leaving)
    headers = bearer_for(app, admin)
    refused = client.post(f"/api/school/teachers/{leaving.id}/deactivate", json={}, headers=headers)
    assert refused.status_code == 409 and refused.get_json()["error"] == "classes_need_teacher"
    done = client.post(f"/api/school/teachers/{leaving.id}/deactivate", json={"transfer_to": staying.id},
                       headers=headers)
    assert done.status_code == 200 and done.get_json()["classes_moved"] == 1 and done.get_json()["active"] is False
    with app.app_context():
        assert db.session.get(Classroom, classroom.id).teacher_id == staying.id
    assert client.get("/api/me", headers=teacher_headers).status_code == 401  # their token ended
    assert client.post("/token", json={"username": leaving.email, "password": PASSWORD}).status_code == 401
    assert client.post(f"/api/school/teachers/{leaving.id}/reactivate", headers=headers).status_code == 200
    assert client.post("/token", json={"username": leaving.email, "password": PASSWORD}).status_code == 200


def test_classes_cannot_move_to_another_schools_teacher(app, client):
    with app.app_context():
        admin = make_admin()
        leaving = make_teacher(school=admin.school)
        outsider = make_teacher(school=make_school())
        make_classroom(leaving)
    response = client.post(f"/api/school/teachers/{leaving.id}/deactivate", json={"transfer_to": outsider.id},
                           headers=bearer_for(app, admin))
    assert response.status_code == 404


def test_admin_resets_a_teachers_password_with_a_one_time_link(app, client, browser):
    with app.app_context():
        admin = make_admin()
        teacher = make_teacher(school=admin.school)
    old_token = bearer_for(app, teacher)
    body = client.post(f"/api/school/teachers/{teacher.id}/password", headers=bearer_for(app, admin)).get_json()
    assert client.get("/api/me", headers=old_token).status_code == 401
    assert client.post("/token", json={"username": teacher.email, "password": PASSWORD}).status_code == 401
    path = body["reset_url"].replace("http://localhost", "")
    assert browser.get(path).status_code == 200
    done = browser.post_form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.post("/token", json={"username": teacher.email, "password": NEW_PASSWORD}).status_code == 200
    assert client.get(path).status_code == 404  # used once


def test_admin_pages_list_teachers_and_invites_and_invite_through_the_form(app):
    with app.app_context():
        admin = make_admin(name="Head Admin")
        make_teacher(school=admin.school, name="Ms Rivera")
    browser = BrowserClient(app.test_client())
    login_as(browser.client, admin)
    page = browser.get("/school/")
    assert page.status_code == 200 and b"Ms Rivera" in page.data and b"Invite a teacher" in page.data
    created = browser.post_form("/school/invites", {"email": "form@example.com", "role": "teacher"})
    assert created.status_code == 200
    link = re.search(rb'id="once-link">([^<]+)<', created.data).group(1).decode()
    assert "/invite/" in link
    assert b"form@example.com" in browser.get("/school/").data
    with app.app_context():
        row = db.session.scalar(select(Invite).where(Invite.email == "form@example.com"))
    assert browser.post_form(f"/school/invites/{row.id}/revoke").status_code == 302
    assert app.test_client().get("/invite/" + token_of(link)).status_code == 404


def test_school_settings_page_validates_the_time_zone(app):
    with app.app_context():
        admin = make_admin()
    browser = BrowserClient(app.test_client())
    login_as(browser.client, admin)
    browser.get("/school/settings")
    bad = browser.post_form("/school/settings", {"name": "Oak Hill", "time_zone": "Mars/Olympus"})
    assert b"Use a time zone name" in bad.data
    good = browser.post_form("/school/settings", {"name": "Oak Hill", "time_zone": "Europe/Paris",
                                                  "date_style": "day_month"})
    assert good.status_code == 302
    with app.app_context():
        school = db.session.get(User, admin.id).school
        assert (school.name, school.time_zone) == ("Oak Hill", "Europe/Paris")


def test_the_admin_chooses_how_the_school_writes_dates(app):
    from datetime import datetime, timezone

    from app.dates import calendar_for

    with app.app_context():
        admin = make_admin()
    browser = BrowserClient(app.test_client())
    login_as(browser.client, admin)
    page = browser.get("/school/settings").get_data(as_text=True)
    assert "How dates are written" in page and "2026-03-18 14:05" in page
    refused = browser.post_form("/school/settings", {"name": "Oak Hill", "time_zone": "UTC", "date_style": "roman"})
    assert refused.status_code == 200 and b"Not a valid choice" in refused.data
    saved = browser.post_form("/school/settings", {"name": "Oak Hill", "time_zone": "UTC", "date_style": "iso"})
    assert saved.status_code == 302
    with app.app_context():
        calendar = calendar_for(db.session.get(User, admin.id).school)
        assert calendar.date_text(datetime(2026, 3, 18, 14, 5, tzinfo=timezone.utc)) == "2026-03-18"
