"""Reading aloud: the practice page, POST /api/pronunciation on real speech, results and refusals."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import PracticeSession, Topic, utcnow

from ..conftest import DATA_DIR, bearer_for, login_as
from ..factories import make_classroom, make_session, make_student, make_teacher
from .conftest import silent_wav

# Analyses run in the request on this app's Celery (a browser test may have made another one current).
pytestmark = pytest.mark.usefixtures("eager")

CLIP = DATA_DIR / "so762_030830001.wav"  # a 10-year-old reading the sentence below (tests/data/README.md)
CLIP_TEXT = "Tell me what you want me to do."


def post_reading(client, headers, audio: bytes | None, filename="reading.wav", **fields):
    data = dict(fields)
    if audio is not None:
        data["audio"] = (io.BytesIO(audio), filename)
    return client.post("/api/pronunciation", data=data, headers=headers, content_type="multipart/form-data")


@pytest.fixture
def student(app_ctx):
    return make_student(name="Ana Reader")


@pytest.fixture
def api_headers(app, student):
    return bearer_for(app, student)


def session_count() -> int:
    return db.session.query(PracticeSession).count()


# --- the real engine on real speech -------------------------------------------------------------


def test_api_scores_a_real_reading_and_saves_a_pronunciation_session(app, client, student, api_headers):
    response = post_reading(client, api_headers, CLIP.read_bytes(), reference_text=CLIP_TEXT, title="Child clip")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "done" and body["error"] is None
    assert body["status_url"].endswith(f"/api/me/sessions/{body['session_id']}")
    result = body["result"]
    assert [w["Word"].lower() for w in result["Words"] if w["ErrorType"] != "Insertion"] == [
        "tell", "me", "what", "you", "want", "me", "to", "do"]
    for key in ("AccuracyScore", "FluencyScore", "CompletenessScore", "ProsodyScore", "PronScore"):
        assert 0 <= result[key] <= 100
    session = db.session.get(PracticeSession, body["session_id"])
    assert (session.kind, session.student_id, session.prompt_title) == ("pronunciation", student.id, "Child clip")
    assert session.prompt_text == CLIP_TEXT and session.pron_score == result["PronScore"]

    login_as(client, student)
    page = client.get(body["url"]).get_data(as_text=True)
    assert "word word-" in page and "popovertarget" in page and "Hear how you said it" in page
    assert "Accuracy" in page and "Completeness" in page and "Prosody" in page
    assert f"/student/sessions/{session.id}/audio" in page  # the owner-checked recording route
    with client.get(f"/student/sessions/{session.id}/audio") as audio:
        assert audio.status_code == 200 and audio.data == CLIP.read_bytes()
    progress = client.get("/student/progress?kind=pronunciation").get_data(as_text=True)
    assert "Child clip" in progress and f"/student/pronunciation/{session.id}" in progress


def test_silent_recording_becomes_a_failed_session_with_the_engine_message(client, api_headers):
    response = post_reading(client, api_headers, silent_wav(3.0), reference_text=CLIP_TEXT)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "failed"
    assert body["error"]["code"] in {"no_speech", "too_short"} and body["error"]["message"]
    assert db.session.get(PracticeSession, body["session_id"]).error_message == body["error"]["message"]


def test_teacher_passage_is_used_and_its_class_strictness_applied(app, client, student, api_headers):
    classroom = make_classroom(make_teacher(), students=(student,))
    classroom.pronunciation_strictness = "strict"
    topic = Topic(class_id=classroom.id, kind="pronunciation", title="Our sentence", prompt=CLIP_TEXT)
    db.session.add(topic)
    db.session.commit()
    response = post_reading(client, api_headers, CLIP.read_bytes(), topic_id=str(topic.id), reference_text="ignored")
    assert response.status_code == 201
    session = db.session.get(PracticeSession, response.get_json()["session_id"])
    assert (session.topic_id, session.class_id, session.prompt_text) == (topic.id, classroom.id, CLIP_TEXT)
    login_as(client, student)
    page = client.get(f"/student/pronunciation/{session.id}").get_data(as_text=True)
    assert session.report["Extras"]["strictness"] == "strict"  # the runner passed the class's setting
    assert "<strong>strict</strong> strictness" in page


def test_with_a_worker_queue_the_api_answers_202_and_the_page_waits(app, client, student, api_headers, queued):
    response = post_reading(client, api_headers, CLIP.read_bytes(), reference_text=CLIP_TEXT)
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "submitted" and "result" not in body
    assert db.session.get(PracticeSession, body["session_id"]).audio_key.endswith("/reading.wav")
    login_as(client, student)
    page = client.get(body["url"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "Listening to your reading" in page


def test_result_page_marks_every_kind_of_word(client, student):
    """A stored report in the engines' shape: levels, omission, insertion and a pause, each with icon and words."""
    report = {
        "AccuracyScore": 70, "FluencyScore": 65, "CompletenessScore": 75, "ProsodyScore": 60, "PronScore": 68,
        "RecognizedText": "the big um dog ran", "Extras": {"strictness": "standard"},
        "Words": [
            {"Word": "the", "Offset": 0.1, "Duration": 0.2, "AccuracyScore": 95, "ErrorType": "None",
             "Phonemes": [{"Phoneme": "DH", "AccuracyScore": 90}, {"Phoneme": "AH", "AccuracyScore": 99}]},
            {"Word": "big", "Offset": 0.4, "Duration": 0.3, "AccuracyScore": 70, "ErrorType": "None", "Phonemes": []},
            {"Word": "brown", "Offset": 0.7, "Duration": 0.0, "AccuracyScore": 0, "ErrorType": "Omission",
             "Phonemes": []},
            {"Word": "dog", "Offset": 1.5, "Duration": 0.3, "AccuracyScore": 40, "ErrorType": "Mispronunciation",
             "Phonemes": [{"Phoneme": "D", "AccuracyScore": 80}, {"Phoneme": "AO", "AccuracyScore": 20},
                          {"Phoneme": "G", "AccuracyScore": 35}]},
            {"Word": "ran", "Offset": 2.0, "Duration": 0.3, "AccuracyScore": 85, "ErrorType": "UnexpectedBreak",
             "Phonemes": []},
            {"Word": "fast", "Offset": 2.4, "Duration": 0.3, "AccuracyScore": 0, "ErrorType": "Insertion",
             "Phonemes": []},
        ],
    }
    session = PracticeSession(student_id=student.id, kind="pronunciation", status="done", prompt_title="Dogs",
                              prompt_text="The big brown dog ran.", report=report, pron_score=68,
                              override_score=75, override_reason="Lovely expression")
    db.session.add(session)
    db.session.commit()
    login_as(client, student)
    page = client.get(f"/student/pronunciation/{session.id}").get_data(as_text=True)
    words = re.findall(r'class="word word-([a-z-]+)" popovertarget', page)
    assert words == ["good", "fair", "omitted", "needs-work", "good", "inserted"]
    for label in ("(Good)", "(Nearly)", "(Missed out)", "(Needs work)", "(Extra word)"):
        assert label in page  # every level is also said in words, not only coloured
    assert "we didn't hear it" in page and "it isn't in the passage" in page
    assert 'title="Long pause before this word"' in page
    assert "ow in cow" not in page and "aw in saw" in page  # AO explained with an example word
    assert page.count("Hear how you said it") == 0  # no recording kept: no play buttons
    assert "Teacher's score · automatic 68" in page and ">75<" in page and "Lovely expression" in page
    # The teacher's review reads as on a speech's report (one macro), with the reading's own automatic score.
    assert "Your teacher set the pronunciation score to <strong>75</strong>" in page
    assert "(the automatic score was 68)" in page and 'id="teacher-review"' in page
    assert "<strong>standard</strong> strictness" in page


# --- refused input: clear 4xx, nothing saved ----------------------------------------------------


@pytest.mark.parametrize(
    "fields, audio, filename, status, field",
    [
        ({"reference_text": "   "}, "clip", "reading.wav", 400, "reference_text"),
        ({"reference_text": " ".join(["word"] * 2000)}, "clip", "reading.wav", 400, "reference_text"),
        ({"reference_text": "?!… —"}, "clip", "reading.wav", 400, "reference_text"),
        ({"reference_text": CLIP_TEXT}, None, "", 400, "audio"),
        ({"reference_text": CLIP_TEXT}, b"", "reading.wav", 400, "audio"),
        ({"reference_text": CLIP_TEXT}, b"%PDF-1.7 not a recording", "homework.pdf", 415, "audio"),
        ({"reference_text": CLIP_TEXT}, b"just some text pretending", "reading.wav", 415, "audio"),
        ({"reference_text": CLIP_TEXT, "topic_id": "9999"}, "clip", "reading.wav", 400, "topic_id"),
        ({"reference_text": CLIP_TEXT, "topic_id": "abc"}, "clip", "reading.wav", 400, "topic_id"),
        ({"passage_id": "no-such-passage"}, "clip", "reading.wav", 400, "passage_id"),
    ],
)
def test_bad_input_is_refused_with_a_field_error(client, api_headers, fields, audio, filename, status, field):
    audio = CLIP.read_bytes() if audio == "clip" else audio
    response = post_reading(client, api_headers, audio, filename, **fields)
    assert response.status_code == status
    body = response.get_json()
    assert body["message"] and list(body["errors"]) == [field]
    assert session_count() == 0


def test_too_large_upload_is_refused(app, client, api_headers, monkeypatch):
    monkeypatch.setitem(app.config, "ANALYSIS_MAX_BYTES", 1000)
    response = post_reading(client, api_headers, CLIP.read_bytes(), reference_text=CLIP_TEXT)
    assert response.status_code == 413 and response.get_json()["errors"] == {"audio": [response.get_json()["message"]]}
    assert session_count() == 0


def test_another_classes_topic_is_refused(client, api_headers):
    other_class = make_classroom(make_teacher(), students=(make_student(),))
    topic = Topic(class_id=other_class.id, kind="pronunciation", title="Not yours", prompt="Hello there")
    db.session.add(topic)
    db.session.commit()
    response = post_reading(client, api_headers, CLIP.read_bytes(), topic_id=str(topic.id))
    assert response.status_code == 400 and "topic_id" in response.get_json()["errors"]


def test_cookie_requests_need_the_csrf_header(app, browser, student):
    login_as(browser.client, student)
    without = post_reading(browser.client, {}, CLIP.read_bytes(), reference_text=CLIP_TEXT)
    assert without.status_code == 400 and without.get_json()["error"] == "csrf_failed"
    assert session_count() == 0


def test_page_form_errors_are_shown_on_the_page(app, browser, student):
    login_as(browser.client, student)
    browser.get("/student/pronunciation")
    response = browser.post_form(
        "/student/pronunciation",
        {"reference_text": CLIP_TEXT, "audio": (io.BytesIO(b"not audio at all, sorry"), "notes.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="audio-errors"' in page and "We can&#39;t open this kind of file" in page
    assert session_count() == 0


# --- the practice page ---------------------------------------------------------------------------


def test_practice_page_offers_the_teachers_open_passages_first(app, client, student):
    classroom = make_classroom(make_teacher(), name="Class 5B", students=(student,))
    db.session.add_all([
        Topic(class_id=classroom.id, kind="pronunciation", title="The Fox", prompt="The quick brown fox."),
        Topic(class_id=classroom.id, kind="pronunciation", title="Closed one", prompt="Gone.",
              closes_at=utcnow() - timedelta(days=1)),
        Topic(class_id=classroom.id, kind="impromptu", title="A speech topic", prompt="Talk about pets."),
    ])
    db.session.commit()
    login_as(client, student)
    page = client.get("/student/pronunciation").get_data(as_text=True)
    assert "The Fox" in page and "The quick brown fox." in page and "Chosen by your teacher" in page
    assert "Closed one" not in page and "A speech topic" not in page
    assert 'name="topic_id"' in page and 'id="mic-meter"' in page and 'role="meter"' in page


def test_library_passages_can_be_chosen_by_level(app, client, student):
    from app.practice.pronunciation_attempts import library_levels, library_passages

    levels = library_levels()
    assert len(levels) >= 3
    login_as(client, student)
    for key, label in levels:
        shelf = library_passages(key)
        assert shelf, f"no passages at level {key}"
        passage = shelf[-1]
        page = client.get(f"/student/pronunciation?level={key}&passage={passage.id}").get_data(as_text=True)
        assert label in page and passage.title in page and f'value="{passage.id}"' in page


def test_read_it_again_only_reuses_the_students_own_text(app, client, student):
    own = PracticeSession(student_id=student.id, kind="pronunciation", status="done",
                          prompt_title="My old reading", prompt_text="Sunny days are fun.")
    other = PracticeSession(student_id=make_student().id, kind="pronunciation", status="done",
                            prompt_title="Their reading", prompt_text="Secret text of someone else.")
    db.session.add_all([own, other])
    db.session.commit()
    login_as(client, student)
    assert "Sunny days are fun." in client.get(f"/student/pronunciation?again={own.id}").get_data(as_text=True)
    assert "Secret text" not in client.get(f"/student/pronunciation?again={other.id}").get_data(as_text=True)


# --- who may see what ----------------------------------------------------------------------------


def test_result_page_while_analysing_refreshes_itself(client, student):
    session = PracticeSession(student_id=student.id, kind="pronunciation", status="submitted",
                              prompt_title="Waiting", prompt_text="Hi there.", submitted_at=utcnow())
    db.session.add(session)
    db.session.commit()
    login_as(client, student)
    page = client.get(f"/student/pronunciation/{session.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "number 1 in the queue" in page


@pytest.mark.parametrize("owner, kind", [("other", "pronunciation"), ("self", "impromptu")])
def test_others_readings_and_speeches_are_not_found(app, client, student, owner, kind, tmp_path):
    session = make_session(student if owner == "self" else make_student(), kind=kind, status="done",
                           audio=silent_wav(1.0), audio_mime="audio/wav", report={})
    login_as(client, student)
    assert client.get(f"/student/pronunciation/{session.id}").status_code == 404
    assert client.get(f"/student/pronunciation?again={session.id}").status_code == 200


@pytest.mark.parametrize(
    "method, url",
    [("GET", "/student/pronunciation"), ("POST", "/student/pronunciation"), ("GET", "/student/pronunciation/1"),
     ("POST", "/api/pronunciation")],
)
def test_teachers_are_refused(app, app_ctx, client, method, url):
    headers = bearer_for(app, make_teacher())
    response = client.open(url, method=method, headers=headers)
    assert response.status_code == 403
