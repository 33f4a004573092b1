"""Accounts over JSON: sign-up, tokens, /api/me, expiry and revocation."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ApiToken, User, utcnow

from ..factories import PASSWORD, make_student


def test_signup_returns_user_without_hash(client):
    response = client.post("/users/signup", json={"email": "Leo@Example.com", "password": "longenough1",
                                                  "name": "Leo", "role": "student"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "leo@example.com" and body["role"] == "student"
    assert "password" not in str(body) and "hash" not in str(body)


def test_signup_conflict_any_case(app, client):
    with app.app_context():
        make_student(email="leo@example.com")
    response = client.post("/users/signup", json={"email": "LEO@example.com", "password": "longenough1",
                                                  "name": "Leo", "role": "student"})
    assert response.status_code == 409 and response.get_json()["error"] == "email_taken"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"email": "bad", "password": "longenough1", "name": "A", "role": "student"}, "email"),
        ({"email": "a@example.com", "password": "short", "name": "A", "role": "student"}, "password"),
        ({"email": "a@example.com", "password": "longenough1", "name": "A", "role": "wizard"}, "role"),
        ({"email": "a@example.com", "password": "longenough1", "role": "student"}, "name"),
        ({"email": "a@example.com", "password": 12345678, "name": "A", "role": "student"}, "password"),
    ],
)
def test_signup_bad_input_has_message_per_field(app, client, payload, field):
    response = client.post("/users/signup", json=payload)
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize("role", ["teacher", "admin"])
def test_signup_as_an_adult_is_refused_with_how_teachers_join(app, client, role):
    response = client.post("/users/signup", json={"email": "t@example.com", "password": "longenough1",
                                                  "name": "T", "role": role})
    assert response.status_code == 403
    assert response.get_json()["error"] == "invite_only" and "invitation" in response.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_signup_without_role_makes_a_student(client):
    response = client.post("/users/signup", json={"email": "s@example.com", "password": "longenough1", "name": "S"})
    assert response.status_code == 201 and response.get_json()["role"] == "student"


def test_signup_not_json(client):
    assert client.post("/users/signup", data="nope", content_type="text/plain").status_code == 400


def token_for(client, username, password, as_json=False):
    if as_json:
        return client.post("/token", json={"username": username, "password": password})
    return client.post("/token", data={"username": username, "password": password})


@pytest.mark.parametrize("as_json", [False, True])
def test_token_and_me(app, client, as_json):
    with app.app_context():
        make_student(email="s@example.com", name="Sam Okafor")
    response = token_for(client, "S@example.com", PASSWORD, as_json)
    body = response.get_json()
    assert response.status_code == 200 and body["token_type"] == "bearer" and body["expires_in"] > 0
    me = client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.get_json()["name"] == "Sam Okafor"
    with app.app_context():  # only the hash is stored
        assert db.session.scalar(select(ApiToken.token_hash)) != body["access_token"]


def test_wrong_credentials_401(app, client):
    with app.app_context():
        make_student(email="s@example.com")
    assert token_for(client, "s@example.com", "wrong").status_code == 401
    assert token_for(client, "nobody@example.com", PASSWORD).status_code == 401


def test_me_without_token_401(client):
    response = client.get("/api/me")
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"


def test_expired_token_401_with_reason(app, client):
    with app.app_context():
        make_student(email="s@example.com")
    token = token_for(client, "s@example.com", PASSWORD).get_json()["access_token"]
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and "expired" in response.get_json()["message"]


def test_logout_revokes_token_and_every_other_token(app, client):
    with app.app_context():
        make_student(email="s@example.com")
    token = token_for(client, "s@example.com", PASSWORD).get_json()["access_token"]
    other = token_for(client, "s@example.com", PASSWORD).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/logout", headers=headers).status_code == 200
    response = client.get("/api/me", headers=headers)
    assert response.status_code == 401 and "revoked" in response.get_json()["message"]
    response = client.get("/api/me", headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 401 and "revoked" in response.get_json()["message"]


def test_bearer_needs_no_csrf_but_cookie_json_does(app, client, browser):
    with app.app_context():
        make_student(email="s@example.com")
    token = token_for(client, "s@example.com", PASSWORD).get_json()["access_token"]
    ok = client.post("/api/classes/join", json={"join_code": "NOPE1234"}, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 404  # reached the view: unknown code, no CSRF complaint

    browser.get("/login")
    browser.post_form("/login", {"login": "s@example.com", "password": PASSWORD})
    refused = browser.client.post("/api/classes/join", json={"join_code": "NOPE1234"})
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf_failed"
    browser.get("/student/")
    accepted = browser.send_json("POST", "/api/classes/join", {"join_code": "NOPE1234"})
    assert accepted.status_code == 404
