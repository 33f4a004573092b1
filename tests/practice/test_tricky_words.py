"""Practise my tricky words: the words missed in recent readings, heard said by espeak-ng (cached in
the object store), recorded again and scored by the same assessor, learnt after two good days;
and the teacher's list of the words the class finds hardest."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models import SessionKind, User, WordAttempt, utcnow
from app.practice.tricky_words import class_hardest_words, missed_words, tricky_words
from app.practice.word_speech import clean_word, spoken_key
from app.storage import exists, storage
from tests.factories import make_classroom, make_session, make_student, make_teacher, speech_wav
from tests.speech import to_pcm16_wav
from tests.teacher.conftest import signed_in

READING = SessionKind.PRONUNCIATION.value


def _report(*marks):
    return {"PronScore": 70.0, "AccuracyScore": 70.0, "FluencyScore": 70.0, "CompletenessScore": 70.0,
            "ProsodyScore": 70.0, "Words": [{"Word": w, "ErrorType": e, "AccuracyScore": 50.0} for w, e in marks]}


@pytest.fixture
def reader(app):
    with app.app_context():
        student = make_student(name="Ana Reader")
        make_session(student, kind=READING, started_at=utcnow() - timedelta(days=2), report=_report(
            ("The", "None"), ("garden", "Mispronunciation"), ("was", "None"), ("quiet.", "Omission")))
        make_session(student, kind=READING, started_at=utcnow() - timedelta(days=1), report=_report(
            ("Garden", "Mispronunciation"), ("cat", "Insertion"), ("gate", "UnexpectedBreak")))
        return student


def test_missed_words_are_the_omitted_and_misread_passage_words_cleaned():
    assert missed_words(_report(("The", "None"), ("Garden,", "Mispronunciation"), ("cat", "Insertion"),
                                ("don’t", "Omission"), ("42", "Omission"))) == ["garden", "don't"]
    assert clean_word("-rf") is None and clean_word("a b") is None and clean_word("x" * 41) is None


def test_tricky_words_are_most_missed_first_and_a_word_is_learnt_after_two_good_days(app, reader):
    with app.app_context():
        student = db.session.get(User, reader.id)
        assert [(w.word, w.times_missed) for w in tricky_words(student)] == [("garden", 2), ("quiet", 1)]
        day = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
        for when, good in ((day, True), (day + timedelta(hours=3), True), (day + timedelta(days=1), False)):
            db.session.add(WordAttempt(student_id=student.id, word="garden", score=90.0 if good else 40.0,
                                       is_good=good, attempted_at=when))
        db.session.commit()
        # Two good attempts on one day are one good day.
        assert [w.word for w in tricky_words(student)] == ["garden", "quiet"]
        db.session.add(WordAttempt(student_id=student.id, word="garden", score=85.0, is_good=True,
                                   attempted_at=day + timedelta(days=2)))
        db.session.commit()
        assert [w.word for w in tricky_words(student)] == ["quiet"]
        learnt = [w for w in tricky_words(student, include_learnt=True) if w.is_learnt]
        assert [(w.word, w.good_days) for w in learnt] == [("garden", 2)]


def test_hear_the_word_said_clearly_synthesised_once_and_kept_in_the_store(app, reader):
    client = signed_in(app, reader)
    with app.app_context():
        assert not exists(storage(), spoken_key("garden"))
    said = client.get("/student/words/garden/said")
    assert said.status_code == 200 and said.mimetype == "audio/wav" and said.data[:4] == b"RIFF"
    with app.app_context():
        assert exists(storage(), spoken_key("garden"))
    assert client.get("/student/words/garden/said").data == said.data
    # Only the student's own tricky words are spoken, and nothing that is not a word reaches espeak-ng.
    assert client.get("/student/words/elephant/said").status_code == 404
    assert client.get("/student/words/--help/said").status_code == 404


def test_a_recorded_attempt_is_scored_by_the_assessor_and_its_audio_kept(app, reader, tmp_path):
    client = signed_in(app, reader)
    page = client.get("/student/words/garden").get_data(as_text=True)
    assert "/student/words/garden/said" in page and "Say it yourself" in page
    # A word takes half a second; a recorder's take runs a little longer, with silence around it.
    audio = to_pcm16_wav(speech_wav("garden"), tmp_path / "garden.wav", pad_seconds=1.0).read_bytes()
    sent = client.client.post("/student/words/garden", data={"audio": (io.BytesIO(audio), "g.wav"),
                                                             "csrf_token": client.csrf_token},
                              content_type="multipart/form-data")
    assert sent.status_code == 303, sent.get_data(as_text=True).split("word-error", 1)[-1][:300]
    with app.app_context():
        attempt = db.session.scalars(db.select(WordAttempt)).one()
        assert attempt.word == "garden" and attempt.score is not None and 0 <= attempt.score <= 100
        assert attempt.is_good == (attempt.score >= 80.0)
        assert exists(storage(), attempt.audio_key)
    page = client.get("/student/words/garden").get_data(as_text=True)
    assert f"/student/words/attempts/{attempt.id}/audio" in page and 'id="word-result"' in page
    assert client.get(f"/student/words/attempts/{attempt.id}/audio").data == audio
    other = signed_in(app, make_student_in(app))
    assert other.get(f"/student/words/attempts/{attempt.id}/audio").status_code == 404


def make_student_in(app):
    with app.app_context():
        return make_student()


def test_silence_or_no_file_is_a_clear_error_and_saves_nothing(app, reader):
    import io

    from tests.student.conftest import silent_wav

    client = signed_in(app, reader)
    for data in ({}, {"audio": (io.BytesIO(silent_wav(2.0)), "quiet.wav")}):
        sent = client.client.post("/student/words/garden", data=data | {"csrf_token": client.csrf_token},
                                  content_type="multipart/form-data")
        assert sent.status_code == 400 and 'id="word-error"' in sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(WordAttempt)).all() == []


def test_the_home_page_and_the_result_page_offer_the_tricky_words(app, reader):
    client = signed_in(app, reader)
    home = client.get("/student/").get_data(as_text=True)
    assert 'id="tricky-words"' in home and "/student/words/garden" in home
    with app.app_context():
        session_id = make_session(db.session.get(User, reader.id), kind=READING,
                                  report=_report(("rabbit", "Omission"), ("ran", "None"))).id
    result = client.get(f"/student/pronunciation/{session_id}").get_data(as_text=True)
    assert 'id="practise-missed"' in result and "/student/words/rabbit" in result


def test_the_teacher_sees_the_words_the_class_finds_hardest(app, reader):
    with app.app_context():
        teacher = make_teacher()
        leo = make_student(name="Leo")
        classroom = make_classroom(teacher, "7B", students=(db.session.get(User, reader.id), leo))
        make_session(leo, kind=READING, classroom=classroom, report=_report(("garden", "Omission"),
                                                                            ("gate", "Mispronunciation")))
        outsider = make_student()
        make_session(outsider, kind=READING, report=_report(("zebra", "Omission")))
        hardest = class_hardest_words(classroom.id)
        assert [(w.word, w.students, w.times_missed) for w in hardest] == [
            ("garden", 2, 3), ("gate", 1, 1), ("quiet", 1, 1)]
        class_id = classroom.id
    html = signed_in(app, teacher).get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert "Words the class finds hardest" in html and "<strong>garden</strong>" in html and "zebra" not in html
