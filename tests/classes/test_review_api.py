"""A teacher's review over JSON: an override reads at once in the roster, the class summary and the
student's own sessions; clearing it goes back to the automatic score; a comment reaches the student.
Refusals: bad input 400, a session not yet analysed 409, another teacher's class 404, a student 403."""
from __future__ import annotations

import pytest

from ..conftest import bearer_for
from ..factories import make_classroom, make_session, make_student, make_teacher


@pytest.fixture
def review(app):
    with app.app_context():
        teacher, student = make_teacher(), make_student()
        classroom = make_classroom(teacher, students=(student,))
        session = make_session(student, classroom=classroom, score=57)
        return {"teacher": bearer_for(app, teacher), "student": bearer_for(app, student),
                "other": bearer_for(app, make_teacher()), "class": classroom.id, "session": session.id,
                "student_id": student.id, "open": make_session(student, classroom=classroom, status="submitted",
                                                               score=None).id}


def _views(client, r) -> dict[str, float | None]:
    """The speech score each view gives the student first."""
    roster = client.get(f"/api/classes/{r['class']}/roster", headers=r["teacher"]).get_json()
    summary = client.get(f"/api/classes/{r['class']}/summary", headers=r["teacher"]).get_json()
    mine = client.get("/api/me/sessions", headers=r["student"]).get_json()
    session = client.get(f"/api/me/sessions/{r['session']}", headers=r["student"]).get_json()
    return {
        "roster": roster["students"][0]["figures"]["impromptu"]["latest_score"],
        "summary": next(s for s in summary["students"] if s["id"] == r["student_id"])["figures"]["impromptu"][
            "latest_score"],
        "my sessions": mine["figures"]["impromptu"]["latest_score"],
        "my session": session["headline_score"],
    }


def test_an_override_reads_at_once_everywhere_and_clearing_it_goes_back(client, review):
    url = f"/api/classes/{review['class']}/sessions/{review['session']}/override"
    assert set(_views(client, review).values()) == {57}
    response = client.put(url, json={"score": 45, "reason": "Shorter than asked"}, headers=review["teacher"])
    assert response.status_code == 200 and response.get_json()["headline_score"] == 45
    assert set(_views(client, review).values()) == {45}
    assert client.delete(url, headers=review["teacher"]).get_json()["override_score"] is None
    assert set(_views(client, review).values()) == {57}


def test_a_comment_reaches_the_student(client, review):
    url = f"/api/classes/{review['class']}/sessions/{review['session']}/comments"
    response = client.post(url, json={"body": "Lovely ideas!"}, headers=review["teacher"])
    assert response.status_code == 201 and response.get_json()["comments"][0]["body"] == "Lovely ideas!"
    page = client.get(f"/api/me/sessions/{review['session']}", headers=review["student"])
    assert page.status_code == 200


@pytest.mark.parametrize("payload, field", [({"score": 140, "reason": "x"}, "score"), ({"score": 40}, "reason"),
                                            ({"score": True, "reason": "x"}, "score"), (["45"], "score")])
def test_bad_overrides_say_which_field(client, review, payload, field):
    url = f"/api/classes/{review['class']}/sessions/{review['session']}/override"
    response = client.put(url, json=payload, headers=review["teacher"])
    assert response.status_code == 400 and field in response.get_json()["errors"]


def test_a_session_not_yet_analysed_cannot_be_given_a_score(client, review):
    url = f"/api/classes/{review['class']}/sessions/{review['open']}/override"
    response = client.put(url, json={"score": 50, "reason": "Early"}, headers=review["teacher"])
    assert response.status_code == 409 and response.get_json()["message"]


@pytest.mark.parametrize("who, status", [("other", 404), ("student", 403)])
def test_nobody_else_reviews(client, review, who, status):
    base = f"/api/classes/{review['class']}/sessions/{review['session']}"
    headers = review[who]
    assert client.put(f"{base}/override", json={"score": 1, "reason": "x"}, headers=headers).status_code == status
    assert client.delete(f"{base}/override", headers=headers).status_code == status
    assert client.post(f"{base}/comments", json={"body": "x"}, headers=headers).status_code == status
    assert set(_views(client, review).values()) == {57}
