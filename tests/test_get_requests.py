"""A GET only reads: every GET endpoint, called by its rightful user, leaves every table as it was."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import BatchJob, PracticeSession, WordAttempt, utcnow
from app.storage import storage
from tests.conftest import login_as
from tests.factories import make_classroom, make_session, make_student, make_teacher, make_topic

# The class report keeps what it computed for the next visit; a cache is not the app's data.
# An export (a GET) records who took a child's data: the audit trail is a record of reads too.
CACHES = {"class_summary_cache", "audit_events"}
READING = {
    "AccuracyScore": 70, "FluencyScore": 65, "CompletenessScore": 75, "ProsodyScore": 60, "PronScore": 68,
    "RecognizedText": "the dog ran", "ReferenceText": "The dog ran.", "Engine": "local",
    "Words": [{"Word": w, "Offset": 0.4 * i, "Duration": 0.3, "AccuracyScore": 80, "ErrorType": "None",
               "Phonemes": []} for i, w in enumerate(("the", "dog", "ran"))],
}


@pytest.fixture
def world(app_ctx, tmp_path):
    teacher, student = make_teacher(), make_student()
    classroom = make_classroom(teacher, students=(student,))
    topic = make_topic(classroom)
    session = make_session(student, classroom=classroom, topic=topic, audio=b"RIFF", audio_mime="audio/wav")
    reading = make_session(student, classroom=classroom, kind="pronunciation", report=READING)
    # A word missed in a reading and tried once: the tricky-word pages (hearing it said fills a store cache).
    missed = READING | {"Words": [w | {"ErrorType": "Mispronunciation"} for w in READING["Words"][1:2]]}
    make_session(student, classroom=classroom, kind="pronunciation", report=missed)
    attempt = WordAttempt(student_id=student.id, word="dog", score=50.0, is_good=False,
                          audio_key=f"words/attempts/{student.id}/1.wav", audio_mime="audio/wav")
    db.session.add(attempt)
    storage().write(attempt.audio_key, b"RIFF")
    # A recorder left open an hour ago: the sweep closes it, a page must not.
    make_session(student, classroom=classroom, status="in_progress", score=None,
                 last_seen_at=utcnow() - timedelta(hours=1))
    job = BatchJob(id="a-batch-job", owner_id=teacher.id, kind="impromptu", class_id=classroom.id)
    db.session.add(job)
    db.session.commit()
    item = make_session(None, classroom=classroom, batch_job_id=job.id, batch_filename="a.wav")
    return {"teacher": teacher, "student": student, "class_id": classroom.id, "student_id": student.id,
            "topic_id": topic.id, "session_id": {"student": session.id, "teacher": session.id,
                                                 "pronunciation": reading.id, "batch": item.id},
            "job_id": job.id, "word": "dog", "attempt_id": attempt.id}


def _everything() -> dict[str, list[tuple]]:
    tables = {}
    for table in db.metadata.sorted_tables:
        if table.name not in CACHES:
            tables[table.name] = sorted(map(tuple, db.session.execute(select(table)).all()), key=repr)
    return tables


def _get_urls(app, world, role: str) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        # Endpoints open to any logged-in user are called by the teacher, who owns the batch job.
        callers = (role, "any") if role == "teacher" else (role,)
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if getattr(view, "required_role", None) not in callers:
            continue
        args = {}
        for name in rule.arguments:
            value = world[name]
            if name == "session_id":
                kind = "batch" if rule.endpoint.startswith("batch.") else role
                kind = "pronunciation" if "pronunciation" in rule.endpoint else kind
                value = value[kind]
            args[name] = value
        urls.append(app.url_map.bind("localhost").build(rule.endpoint, args))
    return urls


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_no_get_request_changes_any_table(app, client, world, role):
    login_as(client, world[role])
    urls = _get_urls(app, world, role)
    assert len(urls) > 10
    before = _everything()
    for url in urls:
        response = client.get(url)
        response.close()  # a recording is sent as a file
        assert response.status_code == 200, (url, response.status_code)
        # A whole page's title is one line of text: a block left open in a template pours the page into it.
        title = response.mimetype == "text/html" and re.search(r"<title>(.*?)</title>", response.get_data(as_text=True),
                                                               re.S)
        if title:
            assert "<" not in title.group(1) and "\n" not in title.group(1).strip(), (url, title.group(1)[:80])
        db.session.remove()
        assert _everything() == before, f"GET {url} changed the database"
    assert db.session.scalar(select(PracticeSession.id).where(PracticeSession.status == "in_progress"))
