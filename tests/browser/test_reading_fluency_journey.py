"""Issue 20's journey in a real browser: a student reads a passage aloud with one word skipped and one
said twice (espeak-ng through Chromium's fake microphone), sees words correct per minute and both
marks, practises the skipped word by saying it again, and the teacher rejects one mark and sees the
accuracy change."""
from __future__ import annotations

import re
import time

import pytest

from app.analysis.rounding import whole
from app.extensions import db
from app.models import PracticeSession, SessionKind
from tests.factories import make_classroom, make_student, make_teacher, make_topic

from .conftest import TRAILING_PAUSE_SECONDS, log_in, screenshot, stop_in_trailing_pause, wav_seconds

pytestmark = pytest.mark.browser

PASSAGE = "My grandmother grows tomatoes and beans in her garden every summer."
# "garden" skipped, "tomatoes" said twice.
SPOKEN = "My grandmother grows tomatoes, tomatoes and beans in her every summer."


def test_read_skip_and_repeat_practise_the_skipped_word_then_the_teacher_rejects_a_mark(
        live_server, chromium_for, new_page, speech_wav_for):
    with live_server.app.app_context():
        teacher = make_teacher(name="Ms Rivera")
        student = make_student(name="Maya Patel")
        classroom = make_classroom(teacher, "Year 6 Owls", students=(student,))
        topic = make_topic(classroom, kind=SessionKind.PRONUNCIATION.value, title="Summer garden", prompt=PASSAGE)
        class_id, topic_id = classroom.id, topic.id

    reading = speech_wav_for(SPOKEN, pad_seconds=TRAILING_PAUSE_SECONDS)
    page = new_page(chromium_for(reading))
    log_in(page, student.email)
    page.goto(f"/student/pronunciation?topic={topic_id}")
    page.get_by_role("button", name="Start recording").click()
    stop_in_trailing_pause(page, reading, time.monotonic())
    page.get_by_role("button", name="Send my reading").click()
    page.wait_for_url(re.compile(r".*/student/pronunciation/\d+$"), timeout=180_000)
    page.wait_for_selector(".reading .word", timeout=60_000)
    session_id = int(page.url.rsplit("/", 1)[1])

    screenshot(page, "reading-with-skip-and-repeat")
    wcpm = int(page.locator("#wcpm").inner_text())
    accuracy_before = int(page.locator("#accuracy-rate").inner_text().rstrip(" %"))
    assert 40 < wcpm < 250
    assert page.locator(".reading .word-omitted", has_text="garden").count() == 1
    assert page.locator(".reading .word-repetition", has_text="tomatoes").count() == 1
    # espeak-ng's accent costs a few words besides "garden"; the repetition costs nothing.
    assert 0 < accuracy_before <= round(100 * 10 / 11)

    # Practise the skipped word: hear it, say it into a microphone that says "garden".
    page.get_by_role("link", name=re.compile("Practise the words you missed")).click()
    page.wait_for_url(re.compile(r".*/student/words/[a-z]+$"))
    page.get_by_role("link", name="← My tricky words").click()
    page.get_by_role("link", name="garden", exact=True).click()
    page.wait_for_url(re.compile(r".*/student/words/garden$"))
    page.wait_for_function("() => document.getElementById('said-clearly').readyState >= 0")
    said = page.request.get(page.locator("#said-clearly").get_attribute("src"))
    assert said.status == 200 and said.body()[:4] == b"RIFF"
    word_page = new_page(chromium_for(speech_wav_for("garden", pad_seconds=1.0)))
    log_in(word_page, student.email)
    word_page.goto("/student/words/garden")
    word_page.get_by_role("button", name="● Record").click()
    word_page.wait_for_timeout(int(wav_seconds(speech_wav_for("garden", pad_seconds=1.0)) * 1000))
    word_page.get_by_role("button", name="Stop").click()
    word_page.wait_for_selector("#word-result", timeout=120_000)
    assert word_page.locator("#my-attempt").count() == 1
    screenshot(word_page, "tricky-word-garden")

    # The teacher rejects the omission: "garden" was read after all.
    teacher_page = new_page(chromium_for(None))
    log_in(teacher_page, teacher.email)
    teacher_page.goto(f"/teacher/classes/{class_id}/sessions/{session_id}")
    teacher_page.locator(".reading .word-omitted", has_text="garden").click()
    popover = teacher_page.locator(".phones-pop:popover-open")
    popover.get_by_label("Your mark").select_option("None")
    popover.get_by_role("button", name="Save mark").click()
    teacher_page.wait_for_selector("#reviewed-note")
    accuracy_after = int(teacher_page.locator("#accuracy-rate").inner_text().rstrip(" %"))
    read_before = round(accuracy_before * 11 / 100)  # passage words read correctly, of 11
    # One more: "garden". The figure is kept to one decimal and shown whole, half up (app/analysis/rounding.py).
    assert accuracy_after == whole(round(100 * (read_before + 1) / 11, 1))
    assert f"accuracy rate {accuracy_before} %" in teacher_page.locator("#reviewed-note").inner_text()
    screenshot(teacher_page, "teacher-reviewed-reading")
    with live_server.app.app_context():
        stored = db.session.get(PracticeSession, session_id).accuracy_rate
        assert stored == pytest.approx(100 * (read_before + 1) / 11, abs=0.05) and whole(stored) == accuracy_after

    page.goto(f"/student/pronunciation/{session_id}")  # the student sees the reviewed result
    assert page.get_by_text("Your teacher checked the marks").is_visible()
    assert int(page.locator("#accuracy-rate").inner_text().rstrip(" %")) == accuracy_after
