"""One rounding rule for figures shown whole (app/analysis/rounding.py): half up, the same in a tile, a table and a
sentence, and as the browser's Math.round rounds. A reading of 6 words right of 11 (54.545…, kept as 54.5)
once read 54 % on its page, where a teacher counting by hand gets 55."""
from __future__ import annotations

import pytest

from app.analysis.rounding import whole
from app.extensions import db
from app.models import PracticeSession, SessionKind
from app.practice.report_view import summary_with_effective_score
from tests.factories import make_classroom, make_session, make_student, make_teacher
from tests.teacher.conftest import signed_in

READING = SessionKind.PRONUNCIATION.value


@pytest.mark.parametrize(("value", "shown"), [(54.5, 55), (76.5, 77), (0.5, 1), (2.5, 3), (45.45, 45), (99.49, 99),
                                              (100.0, 100), (-2.5, -3)])
def test_halves_round_up_away_from_zero(value, shown):
    assert whole(value) == shown


def test_a_half_reads_the_same_on_the_students_page_the_teachers_table_and_in_words(app):
    report = {"PronScore": 76.5, "AccuracyScore": 80.0, "FluencyScore": 70.0, "CompletenessScore": 54.5,
              "AccuracyRate": 54.5, "WordsCorrectPerMinute": 62.5, "RecognizedText": "the cat", "Words": []}
    with app.app_context():
        teacher, student = make_teacher(), make_student(name="Ana Half")
        classroom = make_classroom(teacher, students=(student,))
        session_id = make_session(student, kind=READING, classroom=classroom, report=report, pron_score=76.5,
                                  accuracy_rate=54.5, words_correct_per_minute=62.5).id
        speech_id = make_session(student, classroom=classroom, override_score=76.5, override_reason="Clear ideas",
                                 score=70.0).id
        class_id = classroom.id
    page = signed_in(app, student).get(f"/student/pronunciation/{session_id}").get_data(as_text=True)
    assert '<span class="value" id="accuracy-rate">55 %' in page and '<span class="value" id="wcpm">63</span>' in page
    table = signed_in(app, teacher).get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert ">55 %<" in table and ">63<" in table
    speech = signed_in(app, student).get(f"/student/sessions/{speech_id}").get_data(as_text=True)
    assert "set the overall score to <strong>77</strong>" in speech
    with app.app_context():
        said = summary_with_effective_score("Your overall score is 70. Well done.", db.session.get(PracticeSession,
                                                                                                    speech_id))
    assert said == "Your teacher set your overall score to 77 out of 100. Well done."
