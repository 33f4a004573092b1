"""In Chromium with a fake microphone playing real speech: record an impromptu answer, submit, read the report.

The live server runs Celery tasks eagerly (see conftest), so the real pipeline
analyses the recording inside the submit request.
"""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CurriculumGoal, PracticeSession, Topic

from ..factories import make_classroom, make_student, store_audio
from .conftest import ALL_PARTS_SAVED, log_in, screenshot, wav_seconds

pytestmark = pytest.mark.browser

SPEECH = ("My favourite place is the beach. I like to swim in the sea with my family. "
          "In the summer we build sandcastles and eat ice cream.")
# Chromium loops the 8-12 s speech, and recording starts at any point of the loop: only a
# recording a few seconds longer than the loop holds every word whole at least once.
SPEAKING_SECONDS = 15


def _student_with_topic(live_server, speaking_seconds=SPEAKING_SECONDS):
    with live_server.app.app_context():
        student = make_student(name="Maya Lopez")
        classroom = make_classroom(name="Year 7 Speakers", students=(student,))
        topic = Topic(classroom=classroom, title="My favourite place", prompt="Describe a place you love to visit.",
                      prep_seconds=3, speaking_seconds=speaking_seconds)
        db.session.add_all([topic, CurriculumGoal(classroom=classroom, vocabulary=["beach", "holiday"])])
        db.session.commit()
        return student.email, topic.id


def _session(live_server, session_id: int) -> PracticeSession:
    with live_server.app.app_context():
        session = db.session.get(PracticeSession, session_id)
        db.session.expunge(session)
        return session


def test_record_submit_and_read_the_report(live_server, chromium_for, new_page, speech_wav_for):
    wav = speech_wav_for(SPEECH)
    assert 8 <= wav_seconds(wav) <= 12
    email, topic_id = _student_with_topic(live_server)
    page = new_page(chromium_for(wav))
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    log_in(page, email)

    page.goto("/student/")
    page.get_by_role("link", name="Practise “My favourite place”").wait_for()
    screenshot(page, "student-dashboard")
    page.get_by_role("link", name="Practise “My favourite place”").click()
    page.wait_for_url(f"**/student/practice?topic={topic_id}")

    # One part upload is cut off mid-flight: the recorder must send it again and lose nothing.
    dropped = []

    def drop_second_part(route):
        second_part = b'name="part"\r\n\r\n1\r\n' in (route.request.post_data_buffer or b"")
        if len(dropped) == 0 and route.request.method == "POST" and second_part:
            dropped.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/analyze-chunked", drop_second_part)

    page.locator("#btn-start").focus()  # keyboard only from here to the submit
    page.keyboard.press("Enter")
    page.locator("#step-prep").wait_for(state="visible")
    page.locator("#step-recording").wait_for(state="visible", timeout=10_000)
    page.wait_for_function("() => document.getElementById('mic-level-note').textContent.includes('working')",
                           timeout=10_000)
    time.sleep(3)
    screenshot(page, "student-recorder")
    assert page.evaluate("document.activeElement.id") == "btn-stop"
    session_id = page.evaluate("fetch('/api/me/sessions').then(r => r.json()).then(d => d.sessions[0].id)")
    assert _session(live_server, session_id).status == "in_progress"

    # No stop press: the recorder stops by itself when the speaking time is up.
    page.locator("#step-review").wait_for(state="visible", timeout=(SPEAKING_SECONDS + 8) * 1000)
    page.wait_for_function(ALL_PARTS_SAVED, timeout=20_000)
    assert dropped, "the test meant to cut one part upload off"
    assert page.evaluate("document.getElementById('playback').src").startswith("blob:")
    screenshot(page, "student-recorder-review")
    page.keyboard.press("Enter")  # focus sits on "Submit for feedback"
    page.wait_for_url(f"**/student/sessions/{session_id}", timeout=180_000)

    transcript = page.locator(".transcript")
    transcript.wait_for(state="visible", timeout=60_000)
    text = transcript.inner_text().lower()
    assert "beach" in text and "family" in text, text
    assert page.get_by_text("This week's lesson").is_visible() and page.get_by_text("✓ used: beach").is_visible()
    assert page.locator(".score-tile").count() == 6

    # Words jump the recording to where they were said.
    beach = page.locator(".transcript [data-seek]", has_text=re.compile("beach", re.I)).first
    beach.click()
    page.wait_for_function(f"() => document.getElementById('player-{session_id}').currentTime > 0.5", timeout=10_000)
    screenshot(page, "student-report")

    session = _session(live_server, session_id)
    assert session.status == "done" and session.submitted_at and session.audio_expires_at
    assert session.parts_received >= 3 and session.audio_mime == "audio/webm"
    assert 9 <= session.audio_seconds <= SPEAKING_SECONDS + 1.5

    page.goto("/student/")
    recent = page.locator(".session-list li", has_text="My favourite place")
    assert re.search(r"Score \d+", recent.inner_text())
    screenshot(page, "student-dashboard-recent")
    assert errors == []


def test_refused_microphone_falls_back_to_uploading_a_file(live_server, chromium_for, new_page, speech_wav_for,
                                                          tmp_path):
    wav = speech_wav_for(SPEECH)
    email, topic_id = _student_with_topic(live_server)
    page = new_page(chromium_for(None))
    # The student says no to the microphone prompt.
    page.add_init_script("""navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));""")
    log_in(page, email)
    page.goto(f"/student/practice?topic={topic_id}")
    page.get_by_role("button", name="Start").click()
    alert = page.locator("#fallback-message")
    alert.wait_for(state="visible")
    assert "microphone is blocked" in alert.inner_text() and page.locator("#fallback").get_attribute("open") is not None

    wrong = tmp_path / "essay.txt"
    wrong.write_text("This is my essay, not a recording.")
    page.get_by_label(re.compile("Sound file")).set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and get feedback").click()
    page.wait_for_function(
        "() => document.getElementById('fallback-message').textContent.includes(\"can't open this kind\")")
    screenshot(page, "student-upload-fallback")
    assert "/student/practice" in page.url

    page.get_by_label(re.compile("Sound file")).set_input_files(str(wav))
    page.get_by_role("button", name="Upload and get feedback").click()
    page.wait_for_url(re.compile(r".*/student/sessions/\d+$"), timeout=180_000)
    page.locator(".transcript").wait_for(state="visible", timeout=60_000)
    assert "beach" in page.locator(".transcript").inner_text().lower()
    with live_server.app.app_context():
        sessions = db.session.scalars(select(PracticeSession).where(PracticeSession.topic_id == topic_id)).all()
        assert [s.status for s in sessions] == ["done"]  # one session: the refused start never made a second


def test_phone_layout_and_leaving_marks_the_session_abandoned(live_server, chromium_for, new_page):
    email, topic_id = _student_with_topic(live_server)
    page = new_page(chromium_for(None), viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(page, email)
    page.goto("/student/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "student-dashboard-phone")
    page.goto(f"/student/practice?topic={topic_id}")
    page.wait_for_function("async () => (await fetch('/api/me/sessions').then(r => r.json())).sessions.length > 0")
    page.get_by_role("button", name="Start").click()
    page.locator("#step-prep").wait_for(state="visible")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "student-recorder-phone")
    with live_server.app.app_context():
        session_id = db.session.scalar(select(PracticeSession.id).where(PracticeSession.topic_id == topic_id))
    page.goto("/student/")  # leaving the recorder: pagehide sends the beacon
    for _ in range(50):
        if _session(live_server, session_id).status == "abandoned":
            break
        time.sleep(0.1)
    assert _session(live_server, session_id).status == "abandoned"


def test_a_very_short_recording_asks_to_record_again(live_server, chromium_for, new_page, speech_wav_for):
    email, topic_id = _student_with_topic(live_server)
    page = new_page(chromium_for(speech_wav_for(SPEECH)))
    log_in(page, email)
    page.goto(f"/student/practice?topic={topic_id}")
    page.get_by_label(re.compile("get ready first")).uncheck()
    page.get_by_role("button", name="Start").click()
    page.locator("#step-recording").wait_for(state="visible")
    time.sleep(1)
    page.get_by_role("button", name="Stop recording").click()
    page.locator("#step-review").wait_for(state="visible")
    assert "very short" in page.locator("#rec-message").inner_text()
    assert page.locator("#btn-submit").is_hidden()
    first_take = page.evaluate("fetch('/api/me/sessions').then(r => r.json()).then(d => d.sessions[0].id)")
    page.get_by_role("button", name="Record again").click()
    page.locator("#step-ready").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "btn-start"
    detail = page.evaluate(f"fetch('/api/me/sessions/{first_take}').then(r => r.json())")
    assert detail["status"] == "in_progress" and detail["parts_received"] == 0  # the short take was thrown away


def test_report_page_shows_queue_progress_then_the_report_without_reloading(live_server, chromium_for, new_page,
                                                                           speech_wav_for):
    from app.practice.analysis_runner import run_session_analysis
    from app.practice.recorder import start_practice
    from app.practice.states import submit_session

    email, topic_id = _student_with_topic(live_server)
    with live_server.app.app_context():
        from app.models import User

        student = db.session.scalar(select(User).where(User.email == email))
        session = start_practice(student, topic=db.session.get(Topic, topic_id))
        # submitted, and no worker has picked it up yet
        submit_session(session, store_audio(session, speech_wav_for(SPEECH)), "audio/wav")
        db.session.commit()
        session_id = session.id
    page = new_page(chromium_for(None))
    log_in(page, email)
    page.goto(f"/student/sessions/{session_id}")
    assert "you're next" in page.locator("#stage-text").inner_text()
    page.evaluate("window.stillTheSamePage = true")
    screenshot(page, "student-report-waiting", full_page=False)
    with live_server.app.app_context():
        run_session_analysis(session_id)  # what the worker does
    page.locator(".transcript").wait_for(state="visible", timeout=30_000)
    assert page.evaluate("window.stillTheSamePage === true")
    assert "beach" in page.locator(".transcript").inner_text().lower()
    assert page.evaluate("document.activeElement.id") == "report-title"


def test_start_pressed_before_the_page_has_opened_its_session_opens_only_one(live_server, chromium_for, new_page,
                                                                             speech_wav_for):
    email, topic_id = _student_with_topic(live_server)
    page = new_page(chromium_for(speech_wav_for(SPEECH)))
    log_in(page, email)
    held = []  # the page's "open my session" requests, held unanswered: a slow server
    page.route(re.compile(r".*/api/me/sessions$"),
               lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    page.goto(f"/student/practice?topic={topic_id}")
    page.get_by_label(re.compile("get ready first")).uncheck()
    page.get_by_role("button", name="Start").click()  # before the page's own request has been answered
    page.wait_for_timeout(1000)  # time for a second request to be sent, if the page sends one
    assert len(held) == 1
    held[0].continue_()
    page.get_by_role("button", name="Stop").wait_for(timeout=10_000)  # recording, in the one session
    with live_server.app.app_context():
        opened = db.session.scalars(select(PracticeSession).where(PracticeSession.topic_id == topic_id)).all()
        assert [s.status for s in opened] == ["in_progress"]
