"""The batch analysis API: starting a job, its status and results, and every refusal."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import BatchJob, ClassSummaryCache, PracticeSession
from app.storage import storage
from tests.conftest import DATA_DIR, login_as
from tests.factories import make_classroom, make_student, make_teacher, speech_wav

from .helpers import GOOD_SPEECH, start, upload, zip_of


# Rows are made in a short app context: a context left pushed would be shared by the
# client's requests, and with it Flask-Login's cached user.
@pytest.fixture
def teacher(app):
    with app.app_context():
        return make_teacher(name="Ms Rivera")


@pytest.fixture
def maya(app):
    with app.app_context():
        return make_student(name="Maya Lee", email="maya.lee@example.com")


@pytest.fixture
def classroom(app, teacher, maya):
    with app.app_context():
        return make_classroom(db.session.merge(teacher), students=(db.session.merge(maya),))


def test_a_batch_is_analysed_with_reports_and_attached_students(app, browser, teacher, classroom, maya):
    login_as(browser.client, teacher)
    speech = speech_wav(GOOD_SPEECH)
    response = start(browser, {"kind": "impromptu", "class_id": str(classroom.id),
                               "files": [upload(speech, "maya_lee_week3.wav"), upload(speech, "new_pupil.wav")]})
    assert response.status_code == 202
    job_id = response.get_json()["job_id"]

    status = browser.get(f"/api/analyze-batch/status/{job_id}").get_json()
    assert {k: status[k] for k in ("job_id", "status", "total", "done", "failed")} == {
        "job_id": job_id, "status": "succeeded", "total": 2, "done": 2, "failed": 0}
    assert [(i["filename"], i["status"]) for i in status["items"]] == [
        ("maya_lee_week3.wav", "done"), ("new_pupil.wav", "done"),
    ]
    assert status["created_at"]

    results = browser.get(f"/api/analyze-batch/results/{job_id}").get_json()
    first, second = results["items"]
    assert first["student"] == {"id": maya.id, "name": "Maya Lee"} and second["student"] is None
    assert "dog" in first["report"]["transcript"].lower() and first["error"] is None
    assert first["score"] is not None

    page = browser.get(first["report_url"])
    assert page.status_code == 200 and b"maya_lee_week3.wav" in page.data and b"dog" in page.data.lower()

    exported = browser.get(f"/api/analyze-batch/results/{job_id}.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(r["filename"], r["student"], r["status"]) for r in rows] == [
        ("maya_lee_week3.wav", "Maya Lee", "done"), ("new_pupil.wav", "", "done")]
    assert rows[0]["overall_score"] and rows[0]["report_url"].endswith(first["report_url"])
    with app.app_context():
        job = db.session.get(BatchJob, job_id)
        assert (job.status, job.done, job.failed, job.total) == ("succeeded", 2, 0, 2) and job.finished_at
        # Once the class has nothing left to analyse, its summary is recomputed (one task, not one per file).
        summaries = db.session.scalars(
            select(ClassSummaryCache).where(ClassSummaryCache.class_id == classroom.id)
        ).all()
        assert len(summaries) == 1


def test_a_zip_with_bad_files_among_good_ones_is_partially_failed(browser, teacher):
    login_as(browser.client, teacher)
    archive = zip_of({
        "class/good.wav": speech_wav(GOOD_SPEECH).read_bytes(),
        "class/broken.wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40,
        "class/notes.docx": b"not audio",
        "__MACOSX/class/._good.wav": b"resource fork",
    })
    response = start(browser, {"kind": "impromptu", "files": [(archive, "week3.zip")]})
    assert response.status_code == 202
    results = browser.get(f"/api/analyze-batch/results/{response.get_json()['job_id']}").get_json()
    assert results["status"] == "partially_failed" and (results["done"], results["failed"]) == (1, 2)
    by_name = {i["filename"]: i for i in results["items"]}
    assert set(by_name) == {"good.wav", "broken.wav", "notes.docx"}
    assert by_name["good.wav"]["status"] == "done" and by_name["good.wav"]["report"]
    assert by_name["broken.wav"]["status"] == "failed" and "broken" in by_name["broken.wav"]["error"]["message"]
    assert "not a sound file" in by_name["notes.docx"]["error"]["message"]
    assert by_name["notes.docx"]["report"] is None


def test_pronunciation_batch_reads_each_files_text_from_references_in_the_zip(app, browser, teacher):
    login_as(browser.client, teacher)
    learner = (DATA_DIR / "so762_030830001.wav").read_bytes()  # a child reading this sentence
    archive = zip_of({
        "so762_030830001.wav": learner,
        "robot.wav": speech_wav("The cat sat on the mat.").read_bytes(),
        "references.csv": b"filename,text\nso762_030830001.wav,Tell me what you want me to do\n",
    })
    response = start(browser, {"kind": "pronunciation", "reference_text": "The cat sat on the mat.",
                               "files": [(archive, "reading.zip")]})
    assert response.status_code == 202
    job_id = response.get_json()["job_id"]
    with app.app_context():
        texts = dict(db.session.execute(select(PracticeSession.batch_filename, PracticeSession.prompt_text)
                                        .where(PracticeSession.batch_job_id == job_id)).all())
    assert texts == {"so762_030830001.wav": "Tell me what you want me to do", "robot.wav": "The cat sat on the mat."}
    results = browser.get(f"/api/analyze-batch/results/{job_id}").get_json()
    assert results["status"] == "succeeded"
    child = next(i for i in results["items"] if i["filename"] == "so762_030830001.wav")
    assert child["report"]["PronScore"] == child["score"] and child["score"] > 0
    assert "want" in child["report"]["RecognizedText"].lower()
    exported = browser.get(f"/api/analyze-batch/results/{job_id}.csv").get_data(as_text=True)
    assert exported.splitlines()[0].startswith("filename,student,status,pron_score,accuracy_score")


@pytest.mark.parametrize("data, status, words", [
    ({"kind": "impromptu"}, 400, "at least one recording"),
    ({"kind": "speech", "files": "WAV"}, 400, "kind must be"),
    ({"kind": "pronunciation", "files": "WAV"}, 400, "text that was read"),
    ({"kind": "pronunciation", "files": "WAV", "references": "{not json"}, 400, "JSON object"),
    ({"kind": "impromptu", "files": "WAV", "class_id": "abc"}, 400, "must be a number"),
    ({"kind": "impromptu", "files": "BADZIP"}, 400, "damaged or not a zip"),
    ({"kind": "impromptu", "files": "WAV", "_max_bytes": 100}, 413, "over the 0 MB limit"),
    ({"kind": "impromptu", "files": "TWO", "_max_files": 1}, 413, "at most 1 files"),
])
def test_bad_batches_are_refused_with_a_clear_json_error_and_nothing_saved(app, browser, teacher, data, status, words,
                                                                           monkeypatch):
    login_as(browser.client, teacher)
    wav = speech_wav(GOOD_SPEECH)
    data = dict(data)
    files = {"WAV": [upload(wav)], "TWO": [upload(wav, "a.wav"), upload(wav, "b.wav")],
             "BADZIP": [(io.BytesIO(b"PK but not really"), "x.zip")]}.get(data.pop("files", None), [])
    with app.app_context():
        before = [item.key for item in storage().list("batches")]
    monkeypatch.setitem(app.config, "BATCH_MAX_BYTES", data.pop("_max_bytes", app.config["BATCH_MAX_BYTES"]))
    monkeypatch.setitem(app.config, "BATCH_MAX_FILES", data.pop("_max_files", app.config["BATCH_MAX_FILES"]))
    response = start(browser, {**data, "files": files})
    assert response.status_code == status and response.is_json
    assert words in response.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BatchJob)) == 0
        assert db.session.scalar(select(func.count()).select_from(PracticeSession)) == 0
    with app.app_context():
        assert [item.key for item in storage().list("batches")] == before


@pytest.mark.parametrize("field", ["class_id", "topic_id"])
def test_another_teachers_class_or_topic_is_not_found(app, browser, teacher, field):
    with app.app_context():
        other = make_classroom(make_teacher())
        from app.models import Topic

        topic = Topic(class_id=other.id, title="Pets", prompt="Talk about pets.")
        db.session.add(topic)
        db.session.commit()
        target = other.id if field == "class_id" else topic.id
    login_as(browser.client, teacher)
    response = start(browser, {"kind": "impromptu", field: str(target), "files": [upload(speech_wav(GOOD_SPEECH))]})
    assert response.status_code == 404 and response.is_json


def test_students_cannot_start_a_batch(browser, maya):
    login_as(browser.client, maya)
    response = start(browser, {"kind": "impromptu", "files": [upload(speech_wav(GOOD_SPEECH))]})
    assert response.status_code == 403


@pytest.fixture
def someone_elses_job(browser, teacher):
    """A finished job of *teacher* (one unusable file, so nothing needs analysing)."""
    login_as(browser.client, teacher)
    response = start(browser, {"kind": "impromptu", "files": [(zip_of({"=HYPERLINK(1).txt": b"x"}), "a.zip")]})
    assert response.status_code == 202
    job_id = response.get_json()["job_id"]
    with browser.client.application.app_context():
        item = db.session.scalar(select(PracticeSession.id).where(PracticeSession.batch_job_id == job_id))
    return job_id, item


ENDPOINTS = [
    "/api/analyze-batch/status/{job}",
    "/api/analyze-batch/results/{job}",
    "/api/analyze-batch/results/{job}?format=csv",
    "/api/analyze-batch/results/{job}.csv",
    "/batch/{job}/items/{item}",
    "/batch?job={job}",
]


@pytest.mark.parametrize("caller", ["student", "other teacher", "anonymous"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_only_the_owner_sees_a_job(app, someone_elses_job, caller, endpoint):
    job_id, item = someone_elses_job
    client = app.test_client()
    with app.app_context():
        if caller == "student":
            login_as(client, make_student())
        elif caller == "other teacher":
            login_as(client, make_teacher())
    url = endpoint.format(job=job_id, item=item)
    response = client.get(url, headers={"Accept": "application/json"})
    if caller == "anonymous":
        assert response.status_code == 401
    elif caller == "student" and endpoint.startswith("/batch?"):
        assert response.status_code == 403  # the batch page itself is for teachers
    else:
        assert response.status_code == 404
    assert job_id.encode() not in response.data


def test_the_owner_sees_status_results_and_csv_with_formulas_defused(browser, teacher, someone_elses_job):
    job_id, item = someone_elses_job
    login_as(browser.client, teacher)
    status = browser.get(f"/api/analyze-batch/status/{job_id}").get_json()
    assert (status["status"], status["failed"], status["items"][0]["status"]) == ("failed", 1, "failed")
    exported = browser.get(f"/api/analyze-batch/results/{job_id}?format=csv")
    assert exported.mimetype == "text/csv" and "attachment" in exported.headers["Content-Disposition"]
    assert "'=HYPERLINK(1).txt" in exported.get_data(as_text=True)
    assert browser.get(f"/batch?job={job_id}").status_code == 200
    assert browser.get(f"/api/analyze-batch/status/{job_id}x").status_code == 404


def test_an_api_client_with_a_bearer_token_starts_a_batch_without_csrf(app, client, teacher):
    from tests.conftest import bearer_for

    headers = bearer_for(app, teacher)
    response = client.post("/api/analyze-batch/start", headers=headers, content_type="multipart/form-data",
                           data={"kind": "impromptu", "files": [upload(speech_wav(GOOD_SPEECH))]})
    assert response.status_code == 202
    status = client.get(f"/api/analyze-batch/status/{response.get_json()['job_id']}", headers=headers)
    assert status.get_json()["status"] == "succeeded"
