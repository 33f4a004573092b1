"""In Chromium: a teacher sets up a class, a topic and curriculum goals, watches a student start
practising on the live panel (no reload), opens the student's real report and comments on it."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from app.classes.services import join_class
from app.extensions import db
from app.models import PracticeSession, Topic, User, utcnow
from app.practice.analysis_runner import run_session_analysis
from app.practice.states import abandon_session, start_session, submit_session
from tests.speech import espeak

from ..factories import make_student, make_teacher, store_audio
from .conftest import ARTIFACTS, log_in, screenshot

pytestmark = pytest.mark.browser

SPEECH = ("Last weekend I cooked a delicious dinner with my family. We followed a new recipe "
          "and I chopped all the vegetables because my brother was busy.")
XSS_COMMENT = 'Great use of "recipe"! <script>window.__pwned = 1</script>'


def finished_session_from_real_pipeline(app, student_id: int, topic_id: int, folder: Path) -> int:
    """What the worker would leave behind: espeak-ng speech analysed by the real runner and pipeline."""
    with app.app_context():
        session = start_session(db.session.get(User, student_id), "impromptu", topic=db.session.get(Topic, topic_id))
        submit_session(session, store_audio(session, espeak(SPEECH, folder / "speech.wav")), "audio/wav")
        db.session.commit()
        session_id = session.id
        run_session_analysis(session_id)
        session = db.session.get(PracticeSession, session_id)
        assert session.status == "done", session.error_message
        return session_id


def test_teacher_portal_end_to_end(live_server, chromium_for, new_context, tmp_path):
    app, base = live_server.app, live_server.url
    with app.app_context():
        teacher = make_teacher(name="Ms Rivera", email="rivera@example.com")
        student = make_student(name="Sam Okafor", email="sam@example.com")
        stuck = make_student(name="Lee Long", email="lee@example.com")
        teacher_email, student_email, student_id, stuck_id = teacher.email, student.email, student.id, stuck.id

    chromium = chromium_for(None)
    teacher_ctx = new_context(chromium)
    student_ctx = new_context(chromium, viewport={"width": 1100, "height": 900})
    # 1. The teacher creates a class.
    page = teacher_ctx.new_page()
    log_in(page, teacher_email)
    assert page.url.endswith("/teacher/")
    page.get_by_label("Class name").fill("Year 7 Debate")
    page.get_by_role("button", name="Create class").click()
    page.wait_for_url(re.compile(r"/teacher/classes/\d+$"))
    class_url = page.url
    class_id = int(class_url.rsplit("/", 1)[1])
    join_code = page.locator("#join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", join_code)

    # A new join code asks first (data-confirm, js/confirm.js): "Cancel" keeps the code, "OK" replaces it.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="New join code").click()
    page.wait_for_timeout(300)
    assert questions == ["Make a new code? The old one will stop working."]
    assert page.locator("#join-code").inner_text().strip() == join_code
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="New join code").click()
    page.wait_for_function(f"() => document.getElementById('join-code').textContent.trim() !== {join_code!r}")
    join_code = page.locator("#join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", join_code)

    # 2. A topic, with a bad try first: closing before opening is refused with a field error.
    page.get_by_role("link", name="New topic").click()
    page.get_by_label("Title").fill("A meal I will never forget")
    page.get_by_label("Prompt", exact=True).fill(
        "Tell us about a meal you cooked or enjoyed. What made it special?")
    page.get_by_label("Preparation time (seconds)").fill("20")
    page.get_by_label("Speaking time (seconds)").fill("60")
    page.get_by_label("Opens (UTC, optional)").fill("2030-05-10T10:00")
    page.get_by_label("Closes (UTC, optional)").fill("2030-05-01T10:00")
    page.get_by_role("button", name="Save topic").click()
    assert page.locator("#closes_at-errors").inner_text() == "The closing time must be after the opening time."
    screenshot(page, "teacher-topic-date-error")
    page.get_by_label("Opens (UTC, optional)").fill("")
    page.get_by_label("Closes (UTC, optional)").fill("")
    page.get_by_role("button", name="Save topic").click()
    page.wait_for_url(re.compile(rf"/teacher/classes/{class_id}(#topics)?$"))
    assert page.locator(".topic-item").filter(has_text="A meal I will never forget").count() == 1
    with app.app_context():
        topic_id = db.session.scalar(db.select(Topic.id).where(Topic.class_id == class_id))

    # 3. Curriculum goals: weights that don't add up are refused; then a JS-added row fixes it.
    page.goto(f"{class_url}/curriculum")
    page.get_by_label("Past simple").check()
    page.get_by_label("Linking words").check()
    page.get_by_label("Target vocabulary (one word or phrase a line, or separated by commas)").fill(
        "recipe\ndelicious\nvegetables")
    page.get_by_label("Criterion, row 1").fill("Ideas")
    page.get_by_label("Weight (%), row 1").fill("50")
    page.get_by_label("Criterion, row 2").fill("Target words")
    page.get_by_label("Weight (%), row 2").fill("30")
    assert "needs 100" in page.locator("#rubric-total").inner_text()
    page.get_by_role("button", name="Save curriculum").click()
    assert "The weights add up to 80; they must add up to 100." in page.locator("#rubric").inner_text()
    screenshot(page, "teacher-curriculum-weights-error")
    for row in range(3, 5):
        page.get_by_label(f"Criterion, row {row}").fill(f"Spare {row}")
    page.get_by_role("button", name="Add a row").click()
    page.get_by_label("Criterion, row 5").fill("Delivery")
    page.get_by_label("Weight (%), row 5").fill("20")
    for row in range(3, 5):
        page.get_by_label(f"Criterion, row {row}").fill("")
    assert "100 ✓" in page.locator("#rubric-total").inner_text()
    page.get_by_role("button", name="Save curriculum").click()
    page.wait_for_url(re.compile(rf"/teacher/classes/{class_id}(#curriculum)?$"))
    assert "recipe, delicious, vegetables" in page.locator("#curriculum").inner_text()
    assert "Delivery (20%)" in page.locator("#curriculum").inner_text()

    # 4. The teacher keeps the class page open; the student joins and starts practising.
    page.goto(class_url)
    page.evaluate("window.__noReload = true")
    assert page.locator("#live-empty").is_visible()
    student_page = student_ctx.new_page()
    log_in(student_page, student_email)
    student_page.goto(f"{base}/student/join")
    student_page.get_by_label("Class code").fill(join_code.lower())
    student_page.get_by_role("button", name="Join class").click()
    student_page.wait_for_load_state()
    student_page.goto(f"{base}/student/practice?topic={topic_id}")
    student_page.get_by_role("button", name="Start").click()

    # Lee joined earlier and has been recording for 6 minutes: past 2 × (20 + 60) s, so maybe stuck.
    with app.app_context():
        lee = db.session.get(User, stuck_id)
        join_class(lee, join_code)
        opened = start_session(lee, "impromptu", topic=db.session.get(Topic, topic_id))
        opened.started_at = utcnow() - timedelta(minutes=6)
        opened.parts_received = 3  # audio is arriving: recording, not only on the page
        db.session.commit()
        opened_id = opened.id

    live_item = page.locator(".live-item", has_text="Sam Okafor")
    live_item.wait_for(timeout=20_000)
    stuck_item = page.locator(".live-item", has_text="Lee Long")
    stuck_item.wait_for(timeout=10_000)
    assert page.evaluate("window.__noReload") is True  # the panel changed without a reload
    assert "is-stuck" in stuck_item.get_attribute("class") and stuck_item.locator(".live-stuck").is_visible()
    assert "is-stuck" not in live_item.get_attribute("class") and not live_item.locator(".live-stuck").is_visible()
    assert re.fullmatch(r"6 min \d\d s", stuck_item.locator(".elapsed").inner_text())
    assert stuck_item.locator(".live-state").inner_text() == "recording now"
    assert live_item.locator(".live-state").inner_text() in ("on the practice page", "recording now")
    first = live_item.locator(".elapsed").inner_text()
    page.wait_for_timeout(2200)
    second = live_item.locator(".elapsed").inner_text()
    assert first != second and re.fullmatch(r"(\d+ min \d\d|\d+) s", second)
    assert page.locator("#live-count").inner_text() == "2"
    screenshot(page, "teacher-live-panel")
    student_page.close()
    with app.app_context():
        abandon_session(db.session.get(PracticeSession, opened_id))
        db.session.commit()

    # 5. A finished speech from the real pipeline; the teacher opens it from the roster.
    session_id = finished_session_from_real_pipeline(app, student_id, topic_id, tmp_path)
    page.goto(class_url)
    page.evaluate("window.__noReload = true")
    row = page.locator("#roster-table tbody tr", has_text="Sam Okafor")
    assert row.locator("td").nth(1).inner_text().strip() != "—"
    page.get_by_role("button", name=re.compile("Latest speech score")).click()
    assert page.locator('th[data-key="speech"]').get_attribute("aria-sort") == "descending"
    assert page.evaluate("window.__noReload") is True  # sorted in place by JavaScript
    screenshot(page, "teacher-class-page")
    page.locator("#roster").screenshot(path=str(ARTIFACTS / "teacher-roster.png"))
    page.get_by_role("link", name="Sam Okafor").first.click()
    page.wait_for_url(re.compile(rf"/students/{student_id}$"))
    assert page.locator("canvas").count() >= 1
    screenshot(page, "teacher-student-progress")
    page.locator(f'a[href$="/sessions/{session_id}"]').first.click()
    page.wait_for_url(re.compile(rf"/sessions/{session_id}$"))
    assert "recipe" in page.locator(".report").inner_text().lower()

    # 6. A comment (with markup that must stay text) and a score override.
    page.get_by_label("Comment for the student").fill(XSS_COMMENT)
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()
    assert XSS_COMMENT in page.locator(".report").inner_text()
    assert page.evaluate("window.__pwned") is None
    page.get_by_label("Your score (0–100)").fill("88")
    page.get_by_label("Reason (the student sees it)").fill("Clear story and great target words.")
    page.get_by_role("button", name="Override score").click()
    page.wait_for_load_state()
    assert "88" in page.locator(".report").inner_text()
    screenshot(page, "teacher-session-review")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "teacher-session-review-top", full_page=False)

    # 7. The student sees the comment and both scores.
    student_page = student_ctx.new_page()
    student_page.goto(f"{base}/student/sessions/{session_id}")
    text = student_page.locator("main").inner_text()
    assert XSS_COMMENT in text and "88" in text and "Clear story and great target words." in text
    assert student_page.evaluate("window.__pwned") is None
    screenshot(student_page, "student-sees-teacher-review")

    # 8. The dashboard's figures, and the class page on a phone.
    page.goto(f"{base}/teacher/")
    card = page.locator(".class-card", has_text="Year 7 Debate")
    assert "2" in card.locator("dt:text('Students') + dd").inner_text()
    screenshot(page, "teacher-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(class_url)
    screenshot(page, "teacher-class-page-phone")
    # Wide tables scroll inside their card; the page itself never scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
