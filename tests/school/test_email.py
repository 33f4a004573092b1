"""With SMTP configured, invites, admin resets and forgotten passwords arrive by email (a real local server)."""
from __future__ import annotations

import re

from ..conftest import BrowserClient, bearer_for
from ..factories import make_admin, make_student, make_teacher

NEW_PASSWORD = "violet kettle harbour 42"


def link_in(body: str) -> str:
    return re.search(r"(http://localhost/\S+)", body).group(1)


def test_an_invite_is_emailed_with_its_link(app, client, smtp):
    with app.app_context():
        admin = make_admin()
    body = client.post("/api/school/invites", json={"email": "new@example.com", "role": "teacher"},
                       headers=bearer_for(app, admin)).get_json()
    assert body["emailed"] is True
    [message] = smtp.messages
    assert message["X-Envelope-To"] == "new@example.com" and "Join" in message["Subject"]
    assert link_in(smtp.bodies()[0]) == body["invite_url"]


def test_forgotten_password_email_for_adults_only_and_the_same_answer_for_everyone(app, smtp):
    with app.app_context():
        make_teacher(email="t@example.com")
        make_student(email="s@example.com")
    browser = BrowserClient(app.test_client())
    answers = []
    for address in ("t@example.com", "s@example.com", "nobody@example.com"):
        browser.get("/forgot-password")
        response = browser.post_form("/forgot-password", {"email": address})
        answers.append((response.status_code, response.headers["Location"]))
    assert len(set(answers)) == 1
    assert [m["X-Envelope-To"] for m in smtp.messages] == ["t@example.com"]
    path = link_in(smtp.bodies()[0]).replace("http://localhost", "")
    browser.get(path)
    assert browser.post_form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    token = app.test_client().post("/token", json={"username": "t@example.com", "password": NEW_PASSWORD})
    assert token.status_code == 200


def test_an_admin_reset_is_emailed_to_the_teacher(app, client, smtp):
    with app.app_context():
        admin = make_admin()
        teacher = make_teacher(school=admin.school, email="t@example.com")
    body = client.post(f"/api/school/teachers/{teacher.id}/password", headers=bearer_for(app, admin)).get_json()
    assert body["emailed"] is True and link_in(smtp.bodies()[0]) == body["reset_url"]


def test_without_smtp_nothing_is_sent_and_the_page_says_ask_your_admin(app, client):
    with app.app_context():
        admin = make_admin()
    body = client.post("/api/school/invites", json={"email": "new@example.com", "role": "teacher"},
                       headers=bearer_for(app, admin)).get_json()
    assert body["emailed"] is False
    page = client.get("/forgot-password").data
    assert b"Ask your school" in page and b'name="email"' not in page


def test_a_refusing_mail_server_loses_nothing(app, client, smtp):
    app.config["MAIL_PORT"] = 9  # nothing listens there
    from app.extensions import mail

    mail.init_app(app)
    with app.app_context():
        admin = make_admin()
    response = client.post("/api/school/invites", json={"email": "new@example.com", "role": "teacher"},
                           headers=bearer_for(app, admin))
    assert response.status_code == 201 and response.get_json()["emailed"] is False
    assert client.get(response.get_json()["invite_url"].replace("http://localhost", "")).status_code == 200
