"""Creating and joining classes, in the browser and over JSON."""
import pytest
from sqlalchemy import func, select

from app.classes.services import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from app.extensions import db
from app.models import Classroom, Enrolment

from ..conftest import bearer_for, login_as
from ..factories import make_classroom, make_student, make_teacher


def test_teacher_creates_class_in_browser_and_sees_code(app, browser):
    with app.app_context():
        teacher = make_teacher()
    login_as(browser.client, teacher)
    browser.get("/teacher/")
    response = browser.post_form("/teacher/classes/new", {"name": "Year 8 Drama"})
    assert response.status_code == 302
    page = browser.get(response.headers["Location"])
    with app.app_context():
        classroom = db.session.scalar(select(Classroom))
        assert classroom.name == "Year 8 Drama" and classroom.teacher_id == teacher.id
        assert len(classroom.join_code) == JOIN_CODE_LENGTH and set(classroom.join_code) <= set(JOIN_CODE_ALPHABET)
        assert classroom.join_code.encode() in page.data


def test_join_codes_are_unique_and_unpredictable(app_ctx):
    teacher = make_teacher()
    codes = {make_classroom(teacher, f"C{i}").join_code for i in range(30)}
    assert len(codes) == 30


def test_student_joins_in_browser_with_any_case_and_spaces(app, browser):
    with app.app_context():
        classroom = make_classroom(name="Year 7 English")
        code, student = classroom.join_code, make_student()
    login_as(browser.client, student)
    browser.get("/student/")
    spaced = f" {code[:4].lower()} {code[4:]} "
    response = browser.post_form("/student/join", {"join_code": spaced}, follow_redirects=True)
    assert b"You joined Year 7 English" in response.data


def test_api_create_list_join(app, client):
    with app.app_context():
        teacher, student = make_teacher(), make_student()
    t_headers, s_headers = bearer_for(app, teacher), bearer_for(app, student)
    created = client.post("/api/classes", json={"name": "Debate club"}, headers=t_headers)
    assert created.status_code == 201
    body = created.get_json()
    assert set(body) >= {"id", "name", "join_code"} and body["name"] == "Debate club"
    joined = client.post("/api/classes/join", json={"join_code": body["join_code"]}, headers=s_headers)
    assert joined.status_code == 201 and joined.get_json()["id"] == body["id"]
    for headers in (t_headers, s_headers):
        listed = client.get("/api/classes", headers=headers).get_json()["classes"]
        assert [c["id"] for c in listed] == [body["id"]]


def test_student_in_several_classes(app, client):
    with app.app_context():
        student = make_student()
        codes = [make_classroom(name=n).join_code for n in ("A", "B")]
    headers = bearer_for(app, student)
    for code in codes:
        assert client.post("/api/classes/join", json={"join_code": code}, headers=headers).status_code == 201
    assert len(client.get("/api/classes", headers=headers).get_json()["classes"]) == 2


@pytest.mark.parametrize("payload, status, error", [
    ({"join_code": "ZZZZZZZZ"}, 404, "unknown_code"),
    ({}, 400, "invalid"),
    ({"join_code": 123}, 400, "invalid"),
])
def test_api_join_bad_input(app, client, payload, status, error):
    with app.app_context():
        student = make_student()
    response = client.post("/api/classes/join", json=payload, headers=bearer_for(app, student))
    assert response.status_code == status and response.get_json()["error"] == error


def test_joining_twice_is_409_and_writes_nothing(app, client):
    with app.app_context():
        student = make_student()
        code = make_classroom(students=(student,)).join_code
    response = client.post("/api/classes/join", json={"join_code": code}, headers=bearer_for(app, student))
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count(Enrolment.id))) == 1


def test_teacher_cannot_join_a_class(app, client):
    with app.app_context():
        other = make_teacher()
        code = make_classroom().join_code
    response = client.post("/api/classes/join", json={"join_code": code}, headers=bearer_for(app, other))
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Enrolment.id))) == 0


def test_student_cannot_create_class(app, client):
    with app.app_context():
        student = make_student()
    assert client.post("/api/classes", json={"name": "X"}, headers=bearer_for(app, student)).status_code == 403


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 121}, {"name": 5}])
def test_create_class_bad_name(app, client, payload):
    with app.app_context():
        teacher = make_teacher()
    response = client.post("/api/classes", json=payload, headers=bearer_for(app, teacher))
    assert response.status_code == 400 and "name" in response.get_json()["errors"]


def test_teacher_sees_only_own_class_page(app, client):
    with app.app_context():
        mine_teacher, other_class = make_teacher(), make_classroom()
        mine = make_classroom(mine_teacher)
        ids = mine.id, other_class.id
    login_as(client, mine_teacher)
    assert client.get(f"/teacher/classes/{ids[0]}").status_code == 200
    assert client.get(f"/teacher/classes/{ids[1]}").status_code == 404


def test_join_codes_are_only_in_the_answers_of_the_adults_who_run_the_class(app, client):
    """A student who has the code could pass it on after the teacher replaced it."""
    with app.app_context():
        student, teacher = make_student(), make_teacher()
        code = make_classroom(teacher).join_code
    joined = client.post("/api/classes/join", json={"join_code": code}, headers=bearer_for(app, student))
    assert joined.status_code == 201 and "join_code" not in joined.get_json()
    listed = client.get("/api/classes", headers=bearer_for(app, student)).get_json()["classes"]
    assert listed and all("join_code" not in c for c in listed)
    taught = client.get("/api/classes", headers=bearer_for(app, teacher)).get_json()["classes"]
    assert [c["join_code"] for c in taught] == [code]
