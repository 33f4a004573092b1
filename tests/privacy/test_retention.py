"""Retention is enforced (issue 17 item 1): with the clock moved past a retention, the purge removes the
recording from the store and the page says so; unsent parts, batch files and (when set) reports follow
their own retention; `flask purge-expired [--dry-run]` does the same by hand."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.audit import Action, record
from app.extensions import db
from app.models import AuditEvent, BatchJob, PracticeSession, utcnow
from app.privacy.retention import purge_expired
from app.school.settings import set_school_setting
from app.storage import keys, storage

from ..conftest import login_as
from ..factories import make_classroom, make_school, make_session, make_student, make_teacher

AUDIO = b"RIFF\x24\x00\x00\x00WAVEfmt a recording"


def _stored(session_id: int) -> list[str]:
    return sorted(o.key for p in (keys.session_prefix(session_id), keys.parts_prefix(session_id))
                  for o in storage().list(p))


def _recording(student, *, sent_days_ago: float, **fields) -> PracticeSession:
    sent = utcnow() - timedelta(days=sent_days_ago)
    session = make_session(student, audio=AUDIO, audio_mime="audio/wav", started_at=sent, submitted_at=sent,
                           report={"overall_score": 70}, **fields)
    storage().write(keys.session_file(session.id, "playback.webm"), b"copy")
    return session


def test_recordings_go_after_their_schools_retention(app, client, app_ctx):
    short = make_school("Keeps 30 days")
    set_school_setting(short, "audio_retention_days", 30)
    db.session.commit()
    at_short, at_default = make_student(school=short), make_student()
    old_short = _recording(at_short, sent_days_ago=40)
    new_short = _recording(at_short, sent_days_ago=10)
    at_default_40 = _recording(at_default, sent_days_ago=40)  # the default keeps a year
    assert purge_expired(app.config).recordings == [old_short.id]
    assert _stored(old_short.id) == [] and _stored(new_short.id) != [] and _stored(at_default_40.id) != []
    # The clock moves on a year: the default's recording goes too.
    later = purge_expired(app.config, now=utcnow() + timedelta(days=330))
    assert set(later.recordings) == {new_short.id, at_default_40.id}
    assert _stored(at_default_40.id) == []
    db.session.commit()
    session = db.session.get(PracticeSession, old_short.id)
    assert session.audio_key is None and session.report == {"overall_score": 70}  # the report stays
    login_as(client, at_short)
    page = client.get(f"/student/sessions/{old_short.id}").get_data(as_text=True)
    assert "Recording deleted after 30 days" in page and "<audio" not in page
    assert client.get(f"/student/sessions/{old_short.id}/audio").status_code == 404


def test_a_student_without_a_school_follows_their_teachers_school(app, app_ctx):
    school = make_school("Short")
    set_school_setting(school, "audio_retention_days", 7)
    db.session.commit()
    student = make_student()
    make_classroom(make_teacher(school=school), "7J", students=(student,))
    session = _recording(student, sent_days_ago=8)
    assert purge_expired(app.config).recordings == [session.id]


def test_parts_of_recordings_never_sent_go_after_a_week(app, app_ctx):
    student = make_student()
    stale = make_session(student, status="in_progress", score=None, started_at=utcnow() - timedelta(days=8))
    live = make_session(student, status="in_progress", score=None, started_at=utcnow() - timedelta(days=1))
    for session in (stale, live):
        storage().write(keys.part_key(session.id, "take", 0), b"part")
    storage().write(keys.part_key(999_999, "take", 0), b"parts of a session already deleted")
    dry = purge_expired(app.config, dry_run=True)
    assert dry.parts == [stale.id, 999_999] and _stored(stale.id) != []
    assert purge_expired(app.config).parts == [stale.id, 999_999]
    assert _stored(stale.id) == [] and _stored(999_999) == [] and _stored(live.id) != []


def test_batch_files_follow_their_own_retention(app, app_ctx):
    teacher = make_teacher()
    job = BatchJob(owner_id=teacher.id, kind="impromptu")
    db.session.add(job)
    db.session.commit()
    item = _recording(make_student(), sent_days_ago=app.config["BATCH_RETENTION_DAYS"] + 1, batch_job_id=job.id)
    recent = _recording(make_student(), sent_days_ago=1, batch_job_id=job.id)
    assert purge_expired(app.config).recordings == [item.id]
    assert _stored(item.id) == [] and _stored(recent.id) != []


def test_reports_and_transcripts_are_kept_unless_a_retention_is_set(app, app_ctx):
    session = make_session(make_student(), finished_at=utcnow() - timedelta(days=100), report={"x": 1})
    assert purge_expired(app.config).reports == []
    report = purge_expired(dict(app.config) | {"REPORT_RETENTION_DAYS": 90})
    assert report.reports == [session.id]
    assert session.report is None and session.transcript is None and session.overall_score == 70


def test_audit_events_go_after_their_own_retention(app, app_ctx):
    student = make_student()
    old, recent = record(Action.PASSWORD_RESET, student), record(Action.DEACTIVATED, student)
    db.session.flush()
    old.at = utcnow() - timedelta(days=app.config["AUDIT_RETENTION_DAYS"] + 1)
    assert purge_expired(app.config, dry_run=True).audit_events == 1
    assert db.session.get(AuditEvent, old.id) is not None
    assert purge_expired(app.config).audit_events == 1
    assert [e.id for e in db.session.scalars(select(AuditEvent))] == [recent.id]
    assert purge_expired(dict(app.config) | {"AUDIT_RETENTION_DAYS": 0}).audit_events == 0


def test_flask_purge_expired_prints_what_it_removes(app, app_ctx):
    session = _recording(make_student(), sent_days_ago=400)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge-expired", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and f"recordings past their retention: 1 (sessions {session.id})" in dry.output
    assert _stored(session.id) != []
    done = runner.invoke(args=["purge-expired"])
    assert done.exit_code == 0, done.output
    assert f"(sessions {session.id})" in done.output and "stored objects removed: 2" in done.output
    assert _stored(session.id) == []


def test_flask_purge_expired_as_of_a_later_day(app, app_ctx):
    session = _recording(make_student(), sent_days_ago=10)
    runner = app.test_cli_runner()
    assert f"(sessions {session.id})" not in runner.invoke(args=["purge-expired"]).output
    later = (utcnow() + timedelta(days=400)).strftime("%Y-%m-%d")
    done = runner.invoke(args=["purge-expired", "--as-of", later])
    assert done.exit_code == 0 and f"(sessions {session.id})" in done.output
    assert _stored(session.id) == []
