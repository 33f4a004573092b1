"""Cached class reports: served while fresh, dropped when a session of the class finishes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.analytics import init_app
from app.analytics.cache import CACHE_TTL, invalidate_class_summary
from app.extensions import db
from app.models import ClassSummaryCache, PracticeSession, User, utcnow
from app.practice.analysis_runner import _after_report, run_session_analysis, store_report
from tests.conftest import login_as
from tests.factories import speech_wav, store_audio

from .seed import seed_class


@pytest.fixture
def seeded(app, app_ctx):
    init_app(app)  # what create_app will do; idempotent
    data = seed_class()
    return {k: v.id for k, v in data.items()}


def summary(client, class_id):
    return client.get(f"/api/classes/{class_id}/summary").get_json()


def cached_rows(class_id):
    return db.session.scalar(select(func.count(ClassSummaryCache.id)).where(ClassSummaryCache.class_id == class_id))


def test_second_request_is_served_from_the_cache(client, seeded):
    login_as(client, db.session.get(User, seeded["teacher"]))
    first, second = summary(client, seeded["classroom"]), summary(client, seeded["classroom"])
    assert first["cache"]["hit"] is False and second["cache"]["hit"] is True
    assert second["participation"] == first["participation"] and cached_rows(seeded["classroom"]) == 1
    other_period = client.get(f"/api/classes/{seeded['classroom']}/summary?days=30").get_json()
    assert other_period["cache"]["hit"] is False and cached_rows(seeded["classroom"]) == 2


def finish_session(seeded, **columns):
    session = PracticeSession(
        student_id=seeded["cara"], class_id=seeded["classroom"], kind="impromptu", status="scoring", **columns
    )
    db.session.add(session)
    db.session.commit()
    return session


def test_new_finished_session_drops_the_cache_through_the_after_report_hook(client, seeded):
    login_as(client, db.session.get(User, seeded["teacher"]))
    summary(client, seeded["classroom"])
    summary(client, seeded["other"])
    session = finish_session(seeded)
    store_report(
        session,
        {
            "transcript": "I like the ancient castle.",
            "duration": 30,
            "metrics": {"words_per_minute": 130.0, "fillers_per_minute": 1.0},
            "scores": {"overall": {"score": 70}},  # a session counts once it is scored
        },
    )
    db.session.commit()
    _after_report(session)  # the analysis runner's hook, as after every analysis
    assert cached_rows(seeded["classroom"]) == 0 and cached_rows(seeded["other"]) == 1
    fresh = summary(client, seeded["classroom"])
    assert fresh["cache"]["hit"] is False and fresh["participation"]["practised"] == 3
    assert "Cara Diaz" not in [s["name"] for s in fresh["participation"]["not_practised"]]


def test_a_session_finishing_during_a_computation_is_not_missed(client, seeded):
    """Without the hook (e.g. it failed), the freshness check still refuses a stale copy."""
    login_as(client, db.session.get(User, seeded["teacher"]))
    summary(client, seeded["classroom"])
    session = finish_session(seeded, overall_score=90, words_per_minute=140)
    session.status, session.finished_at = "done", utcnow() + timedelta(seconds=1)
    db.session.commit()
    assert summary(client, seeded["classroom"])["participation"]["practised"] == 3


def test_cache_expires(client, seeded):
    login_as(client, db.session.get(User, seeded["teacher"]))
    summary(client, seeded["classroom"])
    row = db.session.scalar(select(ClassSummaryCache))
    row.computed_at = utcnow() - CACHE_TTL - timedelta(seconds=1)
    db.session.commit()
    assert summary(client, seeded["classroom"])["cache"]["hit"] is False


def test_invalidate_returns_the_number_dropped(client, seeded):
    login_as(client, db.session.get(User, seeded["teacher"]))
    summary(client, seeded["classroom"])
    assert invalidate_class_summary(seeded["classroom"]) == 1 and invalidate_class_summary(None) == 0


def test_real_analysis_of_a_new_session_refreshes_the_report(client, seeded, tmp_path):
    """The real pipeline on real (espeak-ng) speech: the finished session shows up in the next report."""
    if db.engine.dialect.name == "postgresql":
        pytest.skip("the speech pipeline does not depend on the database; once on SQLite is enough")
    wav = speech_wav(
        "Last summer I went on a journey to an ancient castle. It was exciting because we explored the old towers.",
        voice="en", speed=140,
    )
    login_as(client, db.session.get(User, seeded["teacher"]))
    before = summary(client, seeded["classroom"])
    session = PracticeSession(
        student_id=seeded["cara"],
        class_id=seeded["classroom"],
        kind="impromptu",
        status="submitted",
        audio_mime="audio/wav",
        prompt_title="A trip",
        prompt_text="Describe a trip.",
        planned_seconds=60,
    )
    db.session.add(session)
    db.session.flush()
    session.audio_key = store_audio(session, wav)
    db.session.commit()
    run_session_analysis(session.id)
    assert db.session.get(PracticeSession, session.id).status == "done"
    assert cached_rows(seeded["classroom"]) == 0
    after = summary(client, seeded["classroom"])
    assert after["participation"]["sessions"] == before["participation"]["sessions"] + 1
    assert after["participation"]["practised"] == 3


def _anna_latest_talk(seeded) -> PracticeSession:
    return db.session.scalars(
        select(PracticeSession).where(PracticeSession.student_id == seeded["anna"], PracticeSession.kind == "impromptu",
                                      PracticeSession.status == "done", PracticeSession.class_id == seeded["classroom"])
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
    ).first()


@pytest.mark.parametrize("change", ["override", "comment", "clear"])
def test_a_teachers_review_shows_in_the_class_report_on_the_next_load(browser, seeded, change):
    """An override, a cleared override or a comment drops the cached report at once (no TTL wait)."""
    login_as(browser.client, db.session.get(User, seeded["teacher"]))
    session = _anna_latest_talk(seeded)
    base = f"/teacher/classes/{seeded['classroom']}/sessions/{session.id}"
    browser.get(base)  # the review page, for its CSRF token
    if change == "clear":
        browser.post_form(f"{base}/override", {"score": "20", "reason": "first"})
    before = summary(browser.client, seeded["classroom"])
    assert summary(browser.client, seeded["classroom"])["cache"]["hit"] is True
    if change == "override":
        response = browser.post_form(f"{base}/override", {"score": "5", "reason": "Off topic"})
    elif change == "clear":
        response = browser.post_form(f"{base}/override/clear", {})
    else:
        response = browser.post_form(f"{base}/comments", {"body": "See me about this one."})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    after = summary(browser.client, seeded["classroom"])
    assert after["cache"]["hit"] is False
    anna = lambda report: next(s for s in report["students"] if s["id"] == seeded["anna"])  # noqa: E731
    if change != "comment":
        assert anna(after)["overall"] != anna(before)["overall"]
