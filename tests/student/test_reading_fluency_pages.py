"""Words correct per minute over time on a reading's result page and in My Progress, and the
repetition and self-correction marks drawn on the words."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import SessionKind, User, utcnow
from tests.factories import make_session, make_student
from tests.teacher.conftest import signed_in

READING = SessionKind.PRONUNCIATION.value


def _word(word, error="None", score=95.0, marks=(), offset=0.0):
    return {"Word": word, "ErrorType": error, "AccuracyScore": score, "Marks": list(marks),
            "Offset": offset, "Duration": 0.3, "Phonemes": []}


REPORT = {
    "PronScore": 84.0, "AccuracyScore": 90.0, "FluencyScore": 80.0, "CompletenessScore": 83.3, "ProsodyScore": 75.0,
    "AccuracyRate": 83.3, "WordsCorrectPerMinute": 111.2, "ReadingSeconds": 2.7, "RecognizedText": "the cat cat sat",
    "Words": [_word("the"), _word("cat", offset=0.4), _word("cat", "Insertion", marks=["Repetition"], offset=0.8),
              _word("ca", "Insertion", marks=["SelfCorrection"], offset=1.2), _word("sat", offset=1.6),
              _word("down", "Omission", score=0.0, offset=0.0)],
}


@pytest.fixture
def reader(app):
    with app.app_context():
        student = make_student(name="Ana Reader")
        now = utcnow()
        make_session(student, kind=READING, started_at=now - timedelta(days=6), words_correct_per_minute=72.0,
                     accuracy_rate=88.0)
        latest = make_session(student, kind=READING, started_at=now - timedelta(hours=2), report=REPORT,
                              words_correct_per_minute=111.2, accuracy_rate=83.3, prompt_text="the cat sat down")
        return student, latest.id


def _series(html: str) -> dict:
    return json.loads(html.split('id="progress-series">', 1)[1].split("</script>", 1)[0])


def test_the_result_page_shows_wcpm_accuracy_rate_and_wcpm_over_time(app, reader):
    student, session_id = reader
    html = signed_in(app, student).get(f"/student/pronunciation/{session_id}").get_data(as_text=True)
    assert '<span class="value" id="wcpm">111</span>' in html and '<span class="value" id="accuracy-rate">83 %' in html
    series = _series(html)
    assert [c["id"] for c in series["charts"]] == ["wcpm"]
    assert series["pronunciation"]["wcpm"] == [72.0, 111.2]
    assert series["pronunciation"]["accuracy_rate"] == [88.0, 83.3]
    assert "Your words correct per minute over time" in html


def test_repetitions_and_self_corrections_are_marked_on_the_words(app, reader):
    student, session_id = reader
    html = signed_in(app, student).get(f"/student/pronunciation/{session_id}").get_data(as_text=True)
    assert html.count('class="word word-repetition"') == 1 and html.count('class="word word-self-correction"') == 1
    assert "Said again" in html and "Corrected" in html and html.count('class="word word-omitted"') == 1


def test_my_progress_charts_wcpm_over_time(app, reader):
    student, _session_id = reader
    html = signed_in(app, student).get("/student/progress?kind=pronunciation").get_data(as_text=True)
    series = _series(html)
    assert "wcpm" in [c["id"] for c in series["charts"]]
    assert series["pronunciation"]["wcpm"] == [72.0, 111.2]
    assert 'data-chart="wcpm"' in html and "Words correct per minute" in html


def test_a_reading_scored_before_wcpm_existed_shows_no_fluency_tiles(app):
    with app.app_context():
        student = make_student()
        old = {k: v for k, v in REPORT.items() if k not in ("AccuracyRate", "WordsCorrectPerMinute", "ReadingSeconds")}
        session_id = make_session(student, kind=READING, report=old).id
        student = db.session.get(User, student.id)
    html = signed_in(app, student).get(f"/student/pronunciation/{session_id}").get_data(as_text=True)
    assert 'id="wcpm"' not in html and "over time" not in html
