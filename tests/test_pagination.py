"""JSON lists come in pages with their totals: ``?page=``, ``?per_page=`` up to a cap, and a clear 400 for
anything else."""
from __future__ import annotations

import pytest

from .conftest import bearer_for
from .factories import make_classroom, make_session, make_student, make_teacher, make_topic


@pytest.fixture
def student_with_sessions(app):
    with app.app_context():
        student = make_student()
        ids = [make_session(student).id for _ in range(5)]
    return student, ids


def test_my_sessions_come_in_pages_with_totals(app, client, student_with_sessions):
    student, ids = student_with_sessions
    headers = bearer_for(app, student)
    first = client.get("/api/me/sessions?per_page=2", headers=headers).json
    last = client.get("/api/me/sessions?per_page=2&page=3", headers=headers).json
    beyond = client.get("/api/me/sessions?per_page=2&page=4", headers=headers).json
    assert (first["total"], first["pages"], first["page"], first["per_page"]) == (5, 3, 1, 2)
    assert len(first["sessions"]) == 2 and len(last["sessions"]) == 1 and beyond["sessions"] == []
    every = [s["id"] for n in (1, 2, 3)
             for s in client.get(f"/api/me/sessions?per_page=2&page={n}", headers=headers).json["sessions"]]
    assert sorted(every) == sorted(ids) and len(set(every)) == 5


def test_the_default_page_size_and_its_cap_come_from_the_settings(app, client, student_with_sessions, monkeypatch):
    student, _ids = student_with_sessions
    headers = bearer_for(app, student)
    monkeypatch.setitem(app.config, "API_PER_PAGE", 3)
    monkeypatch.setitem(app.config, "API_MAX_PER_PAGE", 4)
    assert client.get("/api/me/sessions", headers=headers).json["per_page"] == 3
    too_many = client.get("/api/me/sessions?per_page=5", headers=headers)
    assert too_many.status_code == 400 and "per_page must be a whole number from 1 to 4" in too_many.json["message"]


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=two", "per_page=0", "page=1.5", "page=99999999999"])
def test_a_bad_page_is_a_clear_400(app, client, student_with_sessions, query):
    student, _ids = student_with_sessions
    response = client.get(f"/api/me/sessions?{query}", headers=bearer_for(app, student))
    assert response.status_code == 400 and response.is_json and "whole number" in response.json["message"]


def test_a_roster_topics_and_classes_come_in_pages(app, client):
    with app.app_context():
        teacher = make_teacher()
        students = tuple(make_student() for _ in range(3))
        classroom = make_classroom(teacher, students=students)
        for n in range(3):
            make_topic(classroom, title=f"Topic {n}")
        make_classroom(teacher, name="Second class")
    headers = bearer_for(app, teacher)
    roster = client.get(f"/api/classes/{classroom.id}/roster?per_page=2&page=2", headers=headers).json
    assert roster["total"] == 3 and len(roster["students"]) == 1 and roster["pages"] == 2
    topics = client.get(f"/api/classes/{classroom.id}/topics?per_page=2", headers=headers).json
    assert topics["total"] == 3 and len(topics["topics"]) == 2
    classes = client.get("/api/classes?per_page=1", headers=headers).json
    assert classes["total"] == 2 and len(classes["classes"]) == 1
