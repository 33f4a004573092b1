"""'New from your teacher': a teacher's override or comment marks the session on the student's
dashboard until the student's report page says it was shown (a POST: GETs never write)."""
from app.extensions import db
from app.models import PracticeSession

from ..conftest import BrowserClient, login_as
from ..factories import make_classroom, make_session, make_student, make_teacher


def _signed_in(app, user) -> BrowserClient:
    client = BrowserClient(app.test_client())
    login_as(client.client, user)
    return client


def _marked(client) -> bool:
    return "New from your teacher" in client.get("/student/").get_data(as_text=True)


def test_teacher_feedback_is_new_until_the_student_opens_it(app):
    with app.app_context():
        teacher, student = make_teacher(), make_student()
        classroom = make_classroom(teacher, students=(student,))
        session_id = make_session(student, classroom=classroom, prompt_title="The beach").id
        class_id = classroom.id
    adult, child = _signed_in(app, teacher), _signed_in(app, student)
    review = f"/teacher/classes/{class_id}/sessions/{session_id}"
    adult.get(review)
    assert not _marked(child)

    assert adult.post_form(f"{review}/comments", {"body": "Lovely ideas!"}).status_code == 302
    assert _marked(child)
    page = child.get(f"/student/sessions/{session_id}").get_data(as_text=True)
    seen_url = f"/student/sessions/{session_id}/feedback-seen"
    assert f'data-feedback-seen-url="{seen_url}"' in page
    assert _marked(child)  # opening the page (a GET) changes nothing by itself

    response = child.client.post(seen_url, headers={"X-CSRFToken": child.csrf_token, "Accept": "application/json"})
    assert response.status_code == 204
    assert not _marked(child)
    assert "data-feedback-seen-url" not in child.get(f"/student/sessions/{session_id}").get_data(as_text=True)

    assert adult.post_form(f"{review}/override", {"score": "55", "reason": "Shorter than asked"}).status_code == 302
    assert _marked(child)  # an override is new feedback too
    assert child.post_form(seen_url).status_code == 302  # without JS, a form post lands on the report
    assert not _marked(child)


def test_only_the_owner_can_mark_it_seen(app):
    with app.app_context():
        teacher, student, other = make_teacher(), make_student(), make_student()
        classroom = make_classroom(teacher, students=(student,))
        session = make_session(student, classroom=classroom)
        session.teacher_feedback_at = session.finished_at
        db.session.commit()
        session_id = session.id
    intruder = _signed_in(app, other)
    intruder.get("/student/")
    assert intruder.post_form(f"/student/sessions/{session_id}/feedback-seen").status_code == 404
    with app.app_context():
        assert db.session.get(PracticeSession, session_id).has_new_feedback


def test_a_readings_teacher_feedback_is_new_until_its_result_page_is_seen(app):
    with app.app_context():
        teacher, student = make_teacher(), make_student()
        classroom = make_classroom(teacher, students=(student,))
        session_id = make_session(student, kind="pronunciation", classroom=classroom, prompt_title="The fox").id
        class_id = classroom.id
    adult, child = _signed_in(app, teacher), _signed_in(app, student)
    review = f"/teacher/classes/{class_id}/sessions/{session_id}"
    adult.get(review)
    assert adult.post_form(f"{review}/comments", {"body": "Slow down at the commas."}).status_code == 302
    assert _marked(child)
    seen_url = f"/student/sessions/{session_id}/feedback-seen"
    page = child.get(f"/student/pronunciation/{session_id}").get_data(as_text=True)
    assert f'data-feedback-seen-url="{seen_url}"' in page and "Slow down at the commas." in page
    assert "js/feedback-seen.js" in page
    response = child.post_form(seen_url)
    assert response.status_code == 302
    assert response.location.endswith(f"/student/pronunciation/{session_id}#teacher-review")
    assert not _marked(child)
    assert "data-feedback-seen-url" not in child.get(f"/student/pronunciation/{session_id}").get_data(as_text=True)
