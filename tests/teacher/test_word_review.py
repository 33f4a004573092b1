"""The teacher's word-by-word review of a reading: PATCH /api/classes/<id>/sessions/<sid>/words/<index>
and the review page's word forms recompute the scores through the reading review; the student sees
the reviewed result, the machine's stays in it for the teacher, and every list reads the reviewed
figures from the session's columns."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.analysis.engines.reading_figures import reading_figures
from app.extensions import db
from app.models import AuditEvent, PracticeSession, SessionKind, User, WordReview
from app.teacher.reading_fluency import reading_rows
from tests.factories import make_classroom, make_session, make_student, make_teacher

from .conftest import signed_in

READING = SessionKind.PRONUNCIATION.value
PASSAGE = "the cat sat on the mat"


def _word(word, error="None", offset=0.0, score=90.0, marks=()):
    return {"Word": word, "ErrorType": error, "AccuracyScore": score, "Offset": offset, "Duration": 0.4,
            "Marks": list(marks), "Phonemes": []}


def _result() -> dict:
    # "the cat cat sat [on] the mat": "on" heard as omitted, "cat" said twice.
    words = [_word("the", offset=0.5), _word("cat", offset=1.0), _word("cat", "Insertion", 1.5, marks=["Repetition"]),
             _word("sat", offset=2.0), _word("on", "Omission", 0.0, score=0.0), _word("the", offset=2.5),
             _word("mat", "Mispronunciation", 3.0, score=35.0)]
    return {"AccuracyScore": 80.0, "FluencyScore": 85.0, "CompletenessScore": 83.3, "ProsodyScore": 70.0,
            "PronScore": 80.0, "RecognizedText": "the cat cat sat the mad", "ReferenceText": PASSAGE,
            "Words": words, **reading_figures(words)}


@pytest.fixture
def reading(app):
    with app.app_context():
        teacher = make_teacher()
        student = make_student(name="Maya Patel")
        classroom = make_classroom(teacher, "7B", students=(student,))
        report = _result()
        session = make_session(student, kind=READING, classroom=classroom, report=report, prompt_text=PASSAGE,
                               pron_score=report["PronScore"], accuracy_score=report["AccuracyScore"],
                               accuracy_rate=report["AccuracyRate"],
                               words_correct_per_minute=report["WordsCorrectPerMinute"])
        return teacher, student, classroom.id, session.id, report


def _url(class_id, session_id, index):
    return f"/api/classes/{class_id}/sessions/{session_id}/words/{index}"


def test_rejecting_an_omission_raises_the_accuracy_the_student_sees_and_keeps_the_machines(app, reading):
    teacher, student, class_id, session_id, machine = reading
    assert machine["AccuracyRate"] == pytest.approx(66.7, abs=0.1)  # 4 of 6 passage words
    client = signed_in(app, teacher)
    answer = client.send_json("PATCH", _url(class_id, session_id, 4), {"error_type": "None"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["word"]["ErrorType"] == "None" and body["word"]["MachineErrorType"] == "Omission"
    assert body["scores"]["AccuracyRate"] == pytest.approx(83.3, abs=0.1)
    assert body["machine_scores"]["AccuracyRate"] == machine["AccuracyRate"]
    with app.app_context():
        session = db.session.get(PracticeSession, session_id)
        assert session.accuracy_rate == body["scores"]["AccuracyRate"]
        assert session.completeness_score == body["scores"]["CompletenessScore"] == 100.0
        assert session.words_correct_per_minute > machine["WordsCorrectPerMinute"]
        review = db.session.scalars(select(WordReview)).one()
        assert (review.word_index, review.error_type, review.reviewer_id) == (4, "None", teacher.id)
        event = db.session.scalars(select(AuditEvent)).one()  # the audit trail has it, without the word
        assert (event.action, event.actor_id, event.target_id) == ("word_reviewed", teacher.id, session_id)
        assert event.detail == {"word": 5, "mark": "Read correctly", "accuracy_rate": body["scores"]["AccuracyRate"]}
        assert reading_rows(session.classroom)[0].latest_accuracy == body["scores"]["AccuracyRate"]
    page = signed_in(app, student).get(f"/student/pronunciation/{session_id}").get_data(as_text=True)
    assert '<span class="value" id="accuracy-rate">83 %' in page and "Your teacher checked" in page
    review_page = client.get(f"/teacher/classes/{class_id}/sessions/{session_id}").get_data(as_text=True)
    assert "Before your review" in review_page and "accuracy rate 67 %" in review_page


def test_the_machines_mark_again_brings_back_the_machines_result(app, reading):
    teacher, _student, class_id, session_id, machine = reading
    client = signed_in(app, teacher)
    client.send_json("PATCH", _url(class_id, session_id, 6), {"error_type": "None"})
    answer = client.send_json("PATCH", _url(class_id, session_id, 6), {"error_type": "Mispronunciation"})
    assert answer.status_code == 200 and answer.get_json()["machine_scores"] is None
    with app.app_context():
        session = db.session.get(PracticeSession, session_id)
        assert session.report["AccuracyRate"] == machine["AccuracyRate"] and "MachineScores" not in session.report
        assert session.accuracy_rate == machine["AccuracyRate"]


def test_marking_a_word_the_machine_missed_and_an_extra_words_mark(app, reading):
    teacher, _student, class_id, session_id, machine = reading
    client = signed_in(app, teacher)
    missed = client.send_json("PATCH", _url(class_id, session_id, 1), {"error_type": "Mispronunciation"})
    assert missed.get_json()["scores"]["AccuracyRate"] < machine["AccuracyRate"]
    extra = client.send_json("PATCH", _url(class_id, session_id, 2), {"error_type": "SelfCorrection"})
    assert extra.status_code == 200 and extra.get_json()["word"]["Marks"] == ["SelfCorrection"]
    with app.app_context():
        assert sorted(r.word_index for r in db.session.scalars(select(WordReview))) == [1, 2]


def test_the_review_pages_word_form_does_the_same(app, reading):
    teacher, _student, class_id, session_id, machine = reading
    client = signed_in(app, teacher)
    page = client.get(f"/teacher/classes/{class_id}/sessions/{session_id}").get_data(as_text=True)
    assert f'action="/teacher/classes/{class_id}/sessions/{session_id}/words/4"' in page
    sent = client.post_form(f"/teacher/classes/{class_id}/sessions/{session_id}/words/4", {"error_type": "None"})
    assert sent.status_code == 302
    with app.app_context():
        assert db.session.get(PracticeSession, session_id).accuracy_rate > machine["AccuracyRate"]


@pytest.mark.parametrize("index, payload, status", [
    (4, {"error_type": "Wrong"}, 400),
    (4, {"error_type": None}, 400),
    (4, ["None"], 400),
    (2, {"error_type": "Omission"}, 400),  # an extra spoken word cannot be omitted
    (4, {"error_type": "Repetition"}, 400),  # a passage word cannot be a repetition
    (99, {"error_type": "None"}, 404),
])
def test_bad_reviews_are_refused_and_change_nothing(app, reading, index, payload, status):
    teacher, _student, class_id, session_id, machine = reading
    answer = signed_in(app, teacher).send_json("PATCH", _url(class_id, session_id, index), payload)
    assert answer.status_code == status and answer.get_json()["message"]
    with app.app_context():
        assert db.session.get(PracticeSession, session_id).report == machine
        assert db.session.scalars(select(WordReview)).all() == []


def test_only_the_classs_teacher_may_review_and_only_a_scored_reading(app, reading):
    teacher, student, class_id, session_id, machine = reading
    with app.app_context():
        other = make_teacher()
        other_class = make_classroom(other, "Not 7B").id
        speech = make_session(db.session.get(User, student.id), classroom=db.session.get(PracticeSession,
                              session_id).classroom).id
    assert signed_in(app, other).send_json("PATCH", _url(class_id, session_id, 4),
                                           {"error_type": "None"}).status_code == 404
    assert signed_in(app, other).send_json("PATCH", _url(other_class, session_id, 4),
                                           {"error_type": "None"}).status_code == 404
    assert signed_in(app, student).send_json("PATCH", _url(class_id, session_id, 4),
                                             {"error_type": "None"}).status_code in (401, 403)
    mine = signed_in(app, teacher)
    assert mine.send_json("PATCH", _url(class_id, speech, 0), {"error_type": "None"}).status_code == 400
    no_token = mine.client.open(_url(class_id, session_id, 4), method="PATCH", json={"error_type": "None"})
    assert no_token.status_code == 400
    with app.app_context():
        assert db.session.get(PracticeSession, session_id).report == machine


def test_a_review_drops_the_class_reports_cached_figures(app, reading):
    from sqlalchemy import func

    from app.models import ClassSummaryCache

    teacher, _student, class_id, session_id, _machine = reading
    client = signed_in(app, teacher)
    assert client.get(f"/api/classes/{class_id}/summary").status_code == 200
    count = select(func.count(ClassSummaryCache.id)).where(ClassSummaryCache.class_id == class_id)
    with app.app_context():
        assert db.session.scalar(count) == 1
    client.send_json("PATCH", _url(class_id, session_id, 4), {"error_type": "None"})
    with app.app_context():
        assert db.session.scalar(count) == 0


def test_the_students_api_reports_the_reviewed_accuracy(app, reading):
    teacher, student, class_id, session_id, machine = reading
    pupil = signed_in(app, student)
    before = pupil.get(f"/api/me/sessions/{session_id}").get_json()
    signed_in(app, teacher).send_json("PATCH", _url(class_id, session_id, 4), {"error_type": "None"})
    after = pupil.get(f"/api/me/sessions/{session_id}").get_json()
    assert before["scores"]["accuracy_rate"] == machine["AccuracyRate"]
    assert after["scores"]["accuracy_rate"] == pytest.approx(83.3, abs=0.1)
    assert after["report"]["AccuracyRate"] == after["scores"]["accuracy_rate"]
