"""Teachers add students without email, in bulk; each logs in by username with a three-word password."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.auth.passwords import child_words
from app.extensions import db
from app.models import Enrolment, User

from ..conftest import BrowserClient, bearer_for, login_as
from ..factories import make_classroom, make_school, make_student, make_teacher

NAMES = ["Maya Patel", "Leo Novak", "Zoë Müller"]


def add_over_api(app, client, teacher, classroom, names):
    return client.post(f"/api/classes/{classroom.id}/students", json={"students": [{"name": n} for n in names]},
                       headers=bearer_for(app, teacher))


def test_bulk_add_returns_usernames_and_three_word_passwords_once(app, client):
    with app.app_context():
        teacher = make_teacher()
        classroom = make_classroom(teacher)
    response = add_over_api(app, client, teacher, classroom, NAMES)
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    students = response.get_json()["students"]
    assert [s["name"] for s in students] == NAMES
    assert [s["username"] for s in students] == ["mayap", "leon", "zoem"]
    words = set(child_words())
    for s in students:
        parts = s["password"].split("-")
        assert len(parts) == 3 and set(parts) <= words
    with app.app_context():
        for s in students:
            user = db.session.get(User, s["id"])
            assert user.email is None and user.role == "student" and user.school_id == teacher.school_id
            assert s["password"] not in user.password_hash
            assert db.session.scalar(select(Enrolment).where(Enrolment.student_id == user.id,
                                                             Enrolment.class_id == classroom.id))
    for s in students:
        token = client.post("/token", json={"username": s["username"].upper(), "password": s["password"]})
        assert token.status_code == 200, s
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token.get_json()['access_token']}"})
        assert me.get_json()["username"] == s["username"]


def test_usernames_stay_unique_across_batches_and_schools(app, client):
    with app.app_context():
        teacher = make_teacher()
        other = make_teacher(school=make_school())
        classroom, other_class = make_classroom(teacher), make_classroom(other)
    first = add_over_api(app, client, teacher, classroom, ["Maya Patel", "Maya Price"]).get_json()["students"]
    second = add_over_api(app, client, other, other_class, ["Maya Pinto"]).get_json()["students"]
    assert [s["username"] for s in first + second] == ["mayap", "mayap2", "mayap3"]


def test_names_without_latin_letters_still_get_a_username(app, client):
    with app.app_context():
        teacher = make_teacher()
        classroom = make_classroom(teacher)
    students = add_over_api(app, client, teacher, classroom, ["李明", "  ", "Ana"]).get_json()["students"]
    assert [s["username"] for s in students] == ["student", "ana"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"students": "Maya"}, {"students": [{"name": 5}]}, {"students": []}, {"students": [{"name": "x" * 121}]},
     {"students": [{"name": f"S {i}"} for i in range(101)]}],
)
def test_bad_rosters_are_refused_and_nothing_is_made(app, client, payload):
    with app.app_context():
        teacher = make_teacher()
        classroom = make_classroom(teacher)
    response = client.post(f"/api/classes/{classroom.id}/students", json=payload, headers=bearer_for(app, teacher))
    assert response.status_code == 400 and response.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(User).where(User.role == "student")) is None


def test_the_class_page_adds_pasted_names_and_a_csv_and_prints_cards(app):
    with app.app_context():
        teacher = make_teacher()
        classroom = make_classroom(teacher, "7B")
    browser = BrowserClient(app.test_client())
    login_as(browser.client, teacher)
    assert b"Add students" in browser.get(f"/teacher/classes/{classroom.id}").data
    browser.get(f"/teacher/classes/{classroom.id}/students/new")
    csv_file = (io.BytesIO("\ufeffFirst name;Last name\nAmira;Haddad\nSam;Okafor\n".encode()), "class.csv")
    response = browser.post_form(f"/teacher/classes/{classroom.id}/students/new",
                                 {"names": "Maya Patel\r\nLeo Novak\n", "csv_file": csv_file},
                                 content_type="multipart/form-data")
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    page = response.data.decode()
    assert page.count('class="login-card"') == 4
    for name in ("Amira Haddad", "Sam Okafor", "Maya Patel", "Leo Novak"):
        assert name in page
    assert "7B" in page and "http://localhost/login" in page
    passwords = re.findall(r"data-password>([a-z-]+)<", page)
    usernames = re.findall(r"data-username>([a-z0-9]+)<", page)
    assert len(passwords) == 4 and usernames == ["amirah", "samo", "mayap", "leon"]
    assert "style=" not in page and "<script>" not in page
    login = BrowserClient(app.test_client())
    login.get("/login")
    assert login.post_form("/login", {"login": usernames[0], "password": passwords[0]}).status_code == 302


def test_the_bulk_form_explains_what_is_missing(app):
    with app.app_context():
        teacher = make_teacher()
        classroom = make_classroom(teacher)
    browser = BrowserClient(app.test_client())
    login_as(browser.client, teacher)
    browser.get(f"/teacher/classes/{classroom.id}/students/new")
    empty = browser.post_form(f"/teacher/classes/{classroom.id}/students/new", {"names": "  "})
    assert empty.status_code == 200 and b"Paste the students" in empty.data
    binary = (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"), "photo.png")
    wrong = browser.post_form(f"/teacher/classes/{classroom.id}/students/new", {"csv_file": binary},
                              content_type="multipart/form-data")
    assert wrong.status_code == 200 and b"Upload a .csv file" in wrong.data


def test_teacher_resets_a_students_password_and_the_old_one_and_sessions_end(app, client):
    with app.app_context():
        teacher = make_teacher()
        classroom = make_classroom(teacher)
    maya = add_over_api(app, client, teacher, classroom, ["Maya Patel"]).get_json()["students"][0]
    token = client.post("/token", json={"username": "mayap", "password": maya["password"]}).get_json()["access_token"]
    reset = client.post(f"/api/classes/{classroom.id}/students/{maya['id']}/password", headers=bearer_for(app, teacher))
    body = reset.get_json()
    assert reset.status_code == 200 and body["username"] == "mayap" and body["password"] != maya["password"]
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/token", json={"username": "mayap", "password": maya["password"]}).status_code == 401
    assert client.post("/token", json={"username": "mayap", "password": body["password"]}).status_code == 200


def test_reset_from_the_roster_shows_one_card(app, client):
    with app.app_context():
        teacher = make_teacher()
        classroom = make_classroom(teacher, "7B")
    add_over_api(app, client, teacher, classroom, ["Leo Novak"])
    with app.app_context():
        leo = db.session.scalar(select(User).where(User.username == "leon"))
    browser = BrowserClient(app.test_client())
    login_as(browser.client, teacher)
    assert b"New password" in browser.get(f"/teacher/classes/{classroom.id}").data
    page = browser.post_form(f"/teacher/classes/{classroom.id}/students/{leo.id}/password")
    assert page.status_code == 200 and page.data.count(b'class="login-card"') == 1 and b"leon" in page.data


def test_a_student_from_another_school_cannot_have_their_password_reset(app, client):
    with app.app_context():
        teacher = make_teacher()
        outsider = make_student(school=make_school())
        classroom = make_classroom(teacher, students=(outsider,))
    response = client.post(f"/api/classes/{classroom.id}/students/{outsider.id}/password",
                           headers=bearer_for(app, teacher))
    assert response.status_code == 404
