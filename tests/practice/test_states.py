"""The practice session's state machine: the table of allowed moves, the events that make them, and
that no module but app/practice/states.py writes a session's status."""
from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import PracticeSession, SessionStatus, utcnow
from app.practice import states
from tests.factories import make_session, make_student

ROOT = Path(__file__).resolve().parents[2]
STATUSES = [status.value for status in SessionStatus]
FAR_FUTURE = utcnow() + timedelta(days=3650)

# Each event as a caller makes it, applied to one session; a refusal raises SessionStateError.
EVENTS = {
    "abandon": lambda s: states.abandon_session(s),
    "reopen": lambda s: states.reopen_session(s),
    "abandon stale recorders": lambda s: states.abandon_stale_sessions(timedelta(0), now=FAR_FUTURE),
    "claim the submit": lambda s: states.claim_submit(s),
    "submit": lambda s: states.submit_session(s, s.audio_key, "audio/wav"),
    "retry": lambda s: states.retry_session(s),
    "claim the run": lambda s: states.claim_run(s.id, "a-task", stale_before=FAR_FUTURE),
    "enter transcribing": lambda s: states.enter_stage(s, SessionStatus.TRANSCRIBING.value),
    "enter scoring": lambda s: states.enter_stage(s, SessionStatus.SCORING.value),
    "finish": lambda s: states.finish(s),
    "fail": lambda s: states.fail(s, "analysis_failed", "We couldn't analyse this recording."),
    "release for retry": lambda s: states.release_for_retry(s),
    "requeue": lambda s: states.requeue(s.id, s.task_id, "a-new-task"),
}


def test_the_table_names_every_status_and_only_statuses():
    assert set(states.TRANSITIONS) == set(STATUSES)
    assert all(targets <= set(STATUSES) for targets in states.TRANSITIONS.values())
    assert states.STARTING_STATUSES <= set(STATUSES)
    assert states.TRANSITIONS[SessionStatus.DONE.value] == frozenset()  # a report is final
    assert states.sources_of(SessionStatus.DONE.value) == {
        SessionStatus.TRANSCRIBING.value, SessionStatus.SCORING.value,
    }


def _one_session_per_status(student, audio: Path) -> dict[str, int]:
    ids = {}
    for status in STATUSES:
        waiting = status in (SessionStatus.IN_PROGRESS.value, SessionStatus.ABANDONED.value)
        session = make_session(student, status=status, audio=audio,
                               submitted_at=None if waiting else utcnow(), last_seen_at=utcnow() - timedelta(hours=2))
        ids[status] = session.id
    return ids


def test_every_event_makes_only_moves_the_table_allows_and_every_move_has_an_event(app_ctx, tmp_path):
    audio = tmp_path / "recording.wav"
    audio.write_bytes(b"RIFF")
    made: set[tuple[str, str]] = set()
    for name, event in EVENTS.items():
        student = make_student()
        ids = _one_session_per_status(student, audio)
        for session_id in ids.values():
            session = db.session.get(PracticeSession, session_id)
            try:
                event(session)
                db.session.commit()
            except states.SessionStateError:
                db.session.rollback()
        db.session.expire_all()
        for before, session_id in ids.items():
            after = db.session.get(PracticeSession, session_id).status
            if after != before:
                assert after in states.TRANSITIONS[before], f"{name} moved a {before} session to {after}"
                made.add((before, after))
    table = {(source, target) for source, targets in states.TRANSITIONS.items()
             for target in targets if source != target}
    assert made == table


def test_a_move_outside_the_table_is_refused_and_changes_nothing(app_ctx):
    session = make_session(make_student(), status=SessionStatus.IN_PROGRESS.value)
    with pytest.raises(states.SessionStateError):
        states.finish(session)
    assert session.status == SessionStatus.IN_PROGRESS.value and session.finished_at is None


def test_new_sessions_start_only_in_a_starting_status(app_ctx, tmp_path):
    student = make_student()
    opened = states.start_session(student, "impromptu", title="Free practice")
    queued = states.queue_batch_file(PracticeSession(kind="impromptu", audio_key="batches/job/0001.wav"))
    refused = states.refuse_batch_file(PracticeSession(kind="impromptu"), "Not a sound file.")
    db.session.add_all([queued, refused])
    db.session.commit()
    statuses = set(db.session.scalars(select(PracticeSession.status)))
    assert statuses == states.STARTING_STATUSES == {opened.status, queued.status, refused.status}
    with pytest.raises(states.SessionStateError):
        states.finish(PracticeSession(kind="impromptu"))


# --- nobody else writes the status -------------------------------------------------------------

# BatchJob has a status column of its own (derived from its sessions); that is its one writer.
OTHER_MODELS_STATUS = {("app/batch/services.py", "job")}
# Errors carry an HTTP status as ``self.status``; only the session model's own methods could mean the session.
SESSION_MODEL = "app/models/practice.py"


def status_writes(path: Path) -> list[str]:
    """Every place in *path* that sets a status: ``x.status = ...``, ``setattr(x, "status", ...)``,
    ``.values(status=...)`` in an UPDATE, or ``PracticeSession(status=...)``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets
                       for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                owner = target.value.id if isinstance(target.value, ast.Name) else ast.unparse(target.value)
                where = str(path.relative_to(ROOT))
                if (where, owner) not in OTHER_MODELS_STATUS and (owner != "self" or where == SESSION_MODEL):
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            keywords = {k.arg for k in node.keywords}
            dict_keys = {k.value for a in node.args if isinstance(a, ast.Dict)
                         for k in a.keys if isinstance(k, ast.Constant)}
            if name in ("values", "PracticeSession") and "status" in keywords | dict_keys:
                found.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
            if name == "setattr" and len(node.args) > 1 and getattr(node.args[1], "value", None) == "status":
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_but_the_state_machine_writes_a_session_status():
    writers = {str(path.relative_to(ROOT)): status_writes(path) for path in (ROOT / "app").rglob("*.py")}
    assert writers.pop("app/practice/states.py")
    assert {path: lines for path, lines in writers.items() if lines} == {}


def test_the_status_write_finder_sees_each_kind_of_write(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "session.status = 'done'\n"
        "a.status, b.finished_at = 'x', None\n"
        "setattr(session, 'status', 'done')\n"
        "db.session.execute(update(PracticeSession).values(status='failed'))\n"
        "db.session.execute(update(PracticeSession).values({'status': 'failed'}))\n"
        "PracticeSession(kind='impromptu', status='submitted')\n"
        "session.last_seen_at = now\n"
        "self.status = 413\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert len(status_writes(sample)) == 6
    finally:
        ROOT = saved
