"""The schools migration moves a database with rows in it from the previous head without losing any."""
from __future__ import annotations

import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.config import TestConfig

BEFORE_SCHOOLS = "cf17a890a593"
SCHOOLS = "5b7e2c9d41a0"
NOW = "2026-11-30 10:00:00+00:00"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    server = request.getfixturevalue("postgres_url")
    name = f"migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield server.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


_made_apps = []


def _app(url, tmp_path):
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    app = create_app(config | {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": str(tmp_path / "instance"),
                               "UPLOAD_DIR": str(tmp_path / "instance" / "uploads")})
    _made_apps.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_each_apps_connections():
    """Every app a test made closes its pool, passed or failed: no connection is left for the garbage collector."""
    yield
    while _made_apps:
        with _made_apps.pop().app_context():
            from app.extensions import db

            db.engine.dispose()


def _fill_previous_schema(conn):
    statements = [
        "INSERT INTO users (id, name, email, password_hash, role, created_at) VALUES "
        "(1, 'Ms Rivera', 'teacher@example.com', 'pbkdf2:sha256:1000$a$b', 'teacher', :now),"
        "(2, 'Maya Patel', 'maya@example.com', 'pbkdf2:sha256:1000$a$b', 'student', :now),"
        "(3, 'Leo Novak', 'leo@example.com', 'pbkdf2:sha256:1000$a$b', 'student', :now)",
        "INSERT INTO classes (id, name, teacher_id, join_code, created_at, pronunciation_strictness, "
        "inactive_after_days) VALUES (1, '7B', 1, 'ABCDEFGH', :now, 'gentle', 7)",
        "INSERT INTO enrolments (id, student_id, class_id, joined_at) VALUES (1, 2, 1, :now), (2, 3, 1, :now)",
        "INSERT INTO practice_sessions (id, student_id, class_id, kind, status, prompt_title, prompt_text, "
        "planned_seconds, started_at, parts_received, attempts, transcript) "
        "VALUES (1, 2, 1, 'impromptu', 'done', 'T', 'P', 60, :now, 0, 0, 'Hello')",
        "INSERT INTO session_comments (id, session_id, author_id, body, created_at) "
        "VALUES (1, 1, 1, 'Well done', :now)",
        "INSERT INTO api_tokens (id, user_id, token_hash, created_at, expires_at) "
        "VALUES (1, 2, :token_hash, :now, '2026-12-30 10:00:00+00:00')",
    ]
    for statement in statements:
        conn.execute(text(statement), {"now": NOW, "token_hash": "a" * 64})


COUNTS = ["users", "classes", "enrolments", "practice_sessions", "session_comments", "api_tokens"]


def row_counts(conn) -> list[int]:
    # Table names come from COUNTS above, never from input.
    return [conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() for table in COUNTS]  # noqa: S608


def test_upgrade_from_the_previous_head_keeps_every_row_and_adds_a_default_school(empty_database, tmp_path):
    app = _app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE_SCHOOLS)
        from app.extensions import db

        with db.engine.begin() as conn:
            _fill_previous_schema(conn)
        upgrade(revision=SCHOOLS)
        with db.engine.connect() as conn:
            assert row_counts(conn) == [3, 1, 2, 1, 1, 1]
            schools = conn.execute(text("SELECT id, name, time_zone FROM schools")).all()
            assert [(s.name, s.time_zone) for s in schools] == [("Default school", "UTC")]
            users = conn.execute(text(
                "SELECT email, school_id, session_version, failed_logins, username FROM users ORDER BY id")).all()
            assert [(u.email, u.school_id, u.session_version, u.failed_logins, u.username) for u in users] == [
                ("teacher@example.com", schools[0].id, 1, 0, None),
                ("maya@example.com", schools[0].id, 1, 0, None),
                ("leo@example.com", schools[0].id, 1, 0, None),
            ]
            assert conn.execute(text("SELECT session_version FROM api_tokens")).scalar() == 1
            assert conn.execute(text("SELECT body FROM session_comments")).scalar() == "Well done"
        # The new rules hold in the database itself: a teacher needs an email and a school.
        with pytest.raises(Exception, match="(?i)check"):
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO users (name, username, password_hash, role, created_at, "
                                  "session_version, failed_logins) VALUES ('X', 'x', '!', 'teacher', :now, 1, 0)"),
                             {"now": NOW})
        downgrade(revision=BEFORE_SCHOOLS)
        with db.engine.connect() as conn:
            assert row_counts(conn) == [3, 1, 2, 1, 1, 1]
        db.engine.dispose()


def test_an_empty_database_gets_no_default_school(empty_database, tmp_path):
    app = _app(empty_database, tmp_path)
    with app.app_context():
        upgrade()
        from app.extensions import db

        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM schools")).scalar() == 0
        db.engine.dispose()


RECORDINGS_BY_KEY = "a3f9c2d81e57"


def test_recording_paths_become_storage_keys_and_outside_files_are_copied_into_the_store(empty_database, tmp_path):
    app = _app(empty_database, tmp_path)
    uploads = tmp_path / "instance" / "uploads"
    inside = uploads / "sessions" / "1" / "recording.webm"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(b"webm bytes")
    outside = tmp_path / "elsewhere" / "speech.WAV"
    outside.parent.mkdir()
    outside.write_bytes(b"wav bytes")
    paths = {1: str(inside), 2: str(outside), 3: str(tmp_path / "gone.wav"), 4: None}
    with app.app_context():
        upgrade(revision=BEFORE_SCHOOLS)
        from app.extensions import db
        from app.storage import read_bytes, storage

        with db.engine.begin() as conn:
            _fill_previous_schema(conn)
            for session_id, path in paths.items():
                if session_id > 1:
                    conn.execute(text(
                        "INSERT INTO practice_sessions (id, student_id, class_id, kind, status, prompt_title, "
                        "prompt_text, planned_seconds, started_at, parts_received, attempts) "
                        "VALUES (:id, 2, 1, 'impromptu', 'done', 'T', 'P', 60, :now, 0, 0)"),
                        {"id": session_id, "now": NOW})
                conn.execute(text("UPDATE practice_sessions SET audio_path = :path WHERE id = :id"),
                             {"path": path, "id": session_id})
        upgrade(revision=RECORDINGS_BY_KEY)
        with db.engine.connect() as conn:
            keys = dict(conn.execute(text("SELECT id, audio_key FROM practice_sessions")).all())
            columns = [c["name"] for c in db.inspect(conn).get_columns("practice_sessions")]
        assert keys == {1: "sessions/1/recording.webm", 2: "sessions/2/recording.wav", 3: None, 4: None}
        assert "audio_path" not in columns
        assert read_bytes(storage(), keys[1]) == b"webm bytes" and read_bytes(storage(), keys[2]) == b"wav bytes"
        downgrade(revision=SCHOOLS)
        with db.engine.connect() as conn:
            restored = dict(conn.execute(text("SELECT id, audio_path FROM practice_sessions")).all())
        assert restored[1] == str(uploads / "sessions" / "1" / "recording.webm") and restored[3] is None


BEFORE_READING_FIGURES = "a3d5f0c27b41"
READING_FIGURES = "b7c1e4a9d302"


def test_the_reading_figures_migration_copies_wcpm_and_accuracy_rate_out_of_stored_results(empty_database, tmp_path):
    app = _app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE_READING_FIGURES)
        from app.extensions import db

        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO schools (id, name, time_zone, settings, created_at) "
                              "VALUES (1, 'S', 'UTC', '{}', :now)"), {"now": NOW})
            conn.execute(text("INSERT INTO users (id, name, username, password_hash, role, created_at, "
                              "session_version, failed_logins) VALUES (1, 'Maya', 'maya', '!', 'student', :now, 1, 0)"),
                         {"now": NOW})
            insert = text("INSERT INTO practice_sessions (id, student_id, kind, status, prompt_title, prompt_text, "
                          "planned_seconds, started_at, parts_received, attempts, report) "
                          "VALUES (:id, 1, :kind, 'done', 'T', 'P', 0, :now, 0, 0, :report)")
            conn.execute(insert, {"id": 1, "kind": "pronunciation", "now": NOW,
                                  "report": '{"PronScore": 80, "WordsCorrectPerMinute": 96.5, "AccuracyRate": 92.3}'})
            conn.execute(insert, {"id": 2, "kind": "pronunciation", "now": NOW, "report": '{"PronScore": 70}'})
            conn.execute(insert, {"id": 3, "kind": "impromptu", "now": NOW, "report": '{"scores": {}}'})
        upgrade(revision=READING_FIGURES)
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, words_correct_per_minute, accuracy_rate FROM practice_sessions "
                                     "ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(1, 96.5, 92.3), (2, None, None), (3, None, None)]
            norms_on = text("SELECT COUNT(*) FROM classes WHERE reading_norms_grade IS NOT NULL")
            assert conn.execute(norms_on).scalar() == 0
        downgrade(revision=BEFORE_READING_FIGURES)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM practice_sessions")).scalar() == 3
        db.engine.dispose()


BEFORE_MATCH_CONFIRMED = "e5a7c2d9f184"
MATCH_CONFIRMED = "e5b2d7a4c619"


def test_batch_sessions_already_attached_to_a_student_count_as_confirmed(empty_database, tmp_path):
    app = _app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE_MATCH_CONFIRMED)
        from app.extensions import db

        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO schools (id, name, time_zone, settings, created_at) "
                              "VALUES (1, 'S', 'UTC', '{}', :now)"), {"now": NOW})
            conn.execute(text("INSERT INTO users (id, name, email, school_id, password_hash, role, created_at, "
                              "session_version, failed_logins) VALUES "
                              "(1, 'Ms R', 'r@example.com', 1, '!', 'teacher', :now, 1, 0),"
                              "(2, 'Maya', 'maya@example.com', NULL, '!', 'student', :now, 1, 0)"), {"now": NOW})
            conn.execute(text("INSERT INTO batch_jobs (id, owner_id, kind, status, total, done, failed, created_at) "
                              "VALUES ('job1', 1, 'impromptu', 'succeeded', 2, 2, 0, :now)"), {"now": NOW})
            insert = text("INSERT INTO practice_sessions (id, student_id, batch_job_id, kind, status, prompt_title, "
                          "prompt_text, planned_seconds, started_at, parts_received, attempts) "
                          "VALUES (:id, :student, :job, 'impromptu', 'done', 'T', 'P', 0, :now, 0, 0)")
            conn.execute(insert, {"id": 1, "student": 2, "job": "job1", "now": NOW})  # attached: was shown
            conn.execute(insert, {"id": 2, "student": None, "job": "job1", "now": NOW})  # unattached
            conn.execute(insert, {"id": 3, "student": 2, "job": None, "now": NOW})  # the student's own
        upgrade(revision=MATCH_CONFIRMED)
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, match_confirmed_at IS NOT NULL FROM practice_sessions "
                                     "ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(1, True), (2, False), (3, False)]
        downgrade(revision=BEFORE_MATCH_CONFIRMED)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM practice_sessions")).scalar() == 3
        db.engine.dispose()
