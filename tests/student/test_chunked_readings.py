"""Readings through POST /api/analyze-chunked: the parts queue the recorder uses, with the passage
checks and the report of POST /api/pronunciation (which stays for API clients)."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.analysis import passages
from app.extensions import db
from app.models import PracticeSession, Topic, utcnow

from ..conftest import DATA_DIR, bearer_for
from ..factories import make_classroom, make_student, make_teacher, stored_bytes
from .conftest import split, upload

CLIP = DATA_DIR / "so762_030830001.wav"  # a 10-year-old reading the sentence below (tests/data/README.md)
CLIP_TEXT = "Tell me what you want me to do."


def _count_sessions() -> int:
    return db.session.scalar(select(func.count(PracticeSession.id)))


def _send_in_parts(client, headers, fields: dict, upload_id: str, parts: int = 3):
    """The recorder's way: every part carries the passage fields, then a final request with no audio."""
    for number, piece in enumerate(split(CLIP.read_bytes(), parts)):
        answer = upload(client, fields | {"upload_id": upload_id, "part": number, "final": 0}, piece, "blob", headers)
        assert answer.status_code == 202, answer.json
    return upload(client, fields | {"upload_id": upload_id, "final": 1}, headers=headers)


@pytest.fixture
def student(app_ctx):
    return make_student(name="Ana Reader")


@pytest.fixture
def headers(app, student):
    return bearer_for(app, student)


def _reading_topic(student, **fields) -> Topic:
    classroom = make_classroom(make_teacher(), students=(student,))
    topic = Topic(class_id=classroom.id, kind="pronunciation", title="Our sentence", prompt=f"  {CLIP_TEXT}  ",
                  **fields)
    db.session.add(topic)
    db.session.commit()
    return topic


def test_a_reading_sent_in_parts_is_scored_exactly_as_one_post_to_api_pronunciation(app, client, eager, student,
                                                                                   headers):
    final = _send_in_parts(client, headers, {"reference_text": CLIP_TEXT, "title": "Child clip"}, "reading-take-1")
    whole = client.post("/api/pronunciation", headers=headers, content_type="multipart/form-data",
                        data={"reference_text": CLIP_TEXT, "title": "Child clip",
                              "audio": (io.BytesIO(CLIP.read_bytes()), "reading.wav")})
    assert final.status_code == 201, final.json
    assert whole.status_code == 201, whole.json
    assert final.json["kind"] == "pronunciation" and final.json["missing_parts"] == []
    assert final.json["report_url"].endswith(f"/student/sessions/{final.json['id']}")
    assert final.json["report"] == whole.json["result"]  # the same engine on the same audio and text
    words = [w["Word"].lower() for w in final.json["report"]["Words"] if w["ErrorType"] != "Insertion"]
    assert words == ["tell", "me", "what", "you", "want", "me", "to", "do"]
    session = db.session.get(PracticeSession, final.json["id"])
    assert (session.kind, session.student_id, session.prompt_title, session.prompt_text) == (
        "pronunciation", student.id, "Child clip", CLIP_TEXT)
    assert stored_bytes(session) == CLIP.read_bytes()  # the parts joined back whole
    assert session.pron_score == final.json["report"]["PronScore"] and session.parts_received == 3


def test_the_student_result_page_opens_from_the_report_url(app, client, eager, student, headers):
    from ..conftest import login_as

    final = _send_in_parts(client, headers, {"reference_text": CLIP_TEXT}, "reading-take-2", parts=2)
    login_as(client, student)
    page = client.get(final.json["report_url"], follow_redirects=True)
    assert page.request.path == f"/student/pronunciation/{final.json['id']}"
    assert "Your reading, word by word" in page.get_data(as_text=True)


def test_a_class_reading_topic_uses_its_text_class_and_strictness(app, client, eager, student, headers):
    topic = _reading_topic(student)
    topic.classroom.pronunciation_strictness = "strict"
    db.session.commit()
    final = _send_in_parts(client, headers, {"topic_id": topic.id, "reference_text": "ignored"}, "reading-take-3")
    assert final.status_code == 201, final.json
    session = db.session.get(PracticeSession, final.json["id"])
    assert (session.kind, session.topic_id, session.class_id) == ("pronunciation", topic.id, topic.class_id)
    assert session.prompt_text == CLIP_TEXT  # stripped, as /api/pronunciation stores it
    assert session.report["Extras"]["strictness"] == "strict"


def test_a_library_passage_is_read_by_its_id(app, client, queued, student, headers):
    passage = passages.passages_for_level(1)[0]
    final = _send_in_parts(client, headers, {"passage_id": passage.id}, "reading-take-4")
    assert final.status_code == 202 and final.json["status"] == "submitted"
    session = db.session.get(PracticeSession, final.json["session_id"])
    assert (session.kind, session.prompt_title, session.prompt_text) == ("pronunciation", passage.title, passage.text)


def test_only_the_request_that_opens_the_session_names_the_passage(app, client, queued, student, headers):
    first = upload(client, {"upload_id": "reading-take-5", "part": 0, "final": 0, "reference_text": CLIP_TEXT},
                   split(CLIP.read_bytes(), 2)[0], "blob", headers)
    later = upload(client, {"upload_id": "reading-take-5", "part": 1, "final": 1, "reference_text": "Other words."},
                   split(CLIP.read_bytes(), 2)[1], "blob", headers)
    assert first.status_code == 202 and later.status_code == 202
    assert db.session.get(PracticeSession, later.json["session_id"]).prompt_text == CLIP_TEXT


@pytest.mark.parametrize("fields, field", [
    ({"reference_text": "   "}, "reference_text"),
    ({"reference_text": " ".join(["word"] * 2000)}, "reference_text"),
    ({"reference_text": "?!… —"}, "reference_text"),
    ({"passage_id": "no-such-passage"}, "passage_id"),
    ({"topic": {"closes_at": timedelta(days=-1)}}, "topic_id"),
    ({"topic": {"opens_at": timedelta(days=1)}}, "topic_id"),
    ({"topic": {"is_active": False}}, "topic_id"),
    ({"topic": "archived"}, "topic_id"),
])
def test_a_passage_api_pronunciation_refuses_is_refused_here_too(app, client, queued, student, headers, fields, field):
    if "topic" in fields:
        options = fields["topic"]
        topic = _reading_topic(student, **({k: utcnow() + v if isinstance(v, timedelta) else v
                                             for k, v in options.items()} if isinstance(options, dict) else {}))
        if options == "archived":
            topic.classroom.archived_at = utcnow()
            db.session.commit()
        fields = {"topic_id": topic.id}
    parted = upload(client, fields | {"upload_id": "reading-refused", "part": 0, "final": 0}, CLIP.read_bytes(),
                    "blob", headers)
    whole = client.post("/api/pronunciation", headers=headers, content_type="multipart/form-data",
                        data=fields | {"audio": (io.BytesIO(CLIP.read_bytes()), "reading.wav")})
    assert parted.status_code == whole.status_code == 400
    assert list(parted.json["errors"]) == list(whole.json["errors"]) == [field]
    assert parted.json["message"] == whole.json["message"]
    assert _count_sessions() == 0


def test_another_classes_reading_topic_is_404_and_saves_nothing(app, client, queued, headers):
    topic = _reading_topic(make_student())
    response = upload(client, {"topic_id": topic.id, "upload_id": "reading-foreign", "part": 0, "final": 0},
                      CLIP.read_bytes(), "blob", headers)
    assert response.status_code == 404 and _count_sessions() == 0


def test_a_reading_part_that_is_not_audio_is_415_and_saves_nothing(app, client, queued, headers):
    response = upload(client, {"reference_text": CLIP_TEXT, "upload_id": "reading-text", "part": 0, "final": 0},
                      b"just some text pretending", "blob", headers)
    assert response.status_code == 415 and response.json["error"] == "unsupported_format"
    assert _count_sessions() == 0
