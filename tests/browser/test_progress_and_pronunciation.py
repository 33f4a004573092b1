"""In Chromium: read a passage aloud into a fake microphone, see the scored words, then My Progress."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import PracticeSession, Topic, utcnow

from ..factories import make_classroom, make_student, make_teacher
from .conftest import TRAILING_PAUSE_SECONDS, log_in, screenshot, stop_in_trailing_pause

pytestmark = pytest.mark.browser

PASSAGE_TITLE = "A day at the park"
PASSAGE = "The sun is warm and the sky is blue. We like to play in the park with our friends."


@pytest.fixture
def student_with_history(live_server):
    """A student in a class with a read-aloud passage, and four earlier speeches for the charts to draw."""
    with live_server.app.app_context():
        student = make_student(name="Maya Park")
        classroom = make_classroom(make_teacher(), name="Class 6R", students=(student,))
        db.session.add(Topic(class_id=classroom.id, kind="pronunciation", title=PASSAGE_TITLE, prompt=PASSAGE))
        now = utcnow()
        for days, (wpm, fillers, score) in zip((16, 11, 6, 3), ((105, 6.5, 52), (128, 4.2, 61), (171, 3.1, 66),
                                                                 (146, 1.8, 74)), strict=True):
            started = now - timedelta(days=days)
            db.session.add(PracticeSession(
                student_id=student.id, kind="impromptu", status="done", prompt_title=f"My weekend ({days} days ago)",
                started_at=started, submitted_at=started, finished_at=started, words_per_minute=wpm,
                fillers_per_minute=fillers, overall_score=score, override_score=80 if days == 3 else None))
        db.session.commit()
        return student.id, student.email


def test_read_aloud_then_see_it_in_my_progress(live_server, chromium_for, new_page, speech_wav_for,
                                              student_with_history):
    student_id, email = student_with_history
    # Chromium loops it: record one pass, stop before the repeat.
    reading = speech_wav_for(PASSAGE, pad_seconds=TRAILING_PAUSE_SECONDS)
    page = new_page(chromium_for(reading))
    log_in(page, email)

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Pronunciation").click()
    page.get_by_role("link", name=PASSAGE_TITLE).click()
    assert page.locator("#passage").inner_text().strip() == PASSAGE
    page.get_by_role("button", name="Start recording").click()
    started = time.monotonic()
    # The level meter hears the voice: louder than -45 dBFS at least once, and never silent for long
    # (waited for, not slept on: a busy machine starts the fake microphone late).
    page.wait_for_function("() => document.getElementById('mic-level-note').textContent"
                           " === 'Your microphone is working.'", timeout=8_000)
    # The meter moves off its floor (-60) within a few seconds, wherever in its loop the fake microphone is.
    page.wait_for_function("() => Number(document.getElementById('mic-meter').getAttribute('aria-valuenow')) > -60",
                           timeout=5_000)
    screenshot(page, "pronunciation-recording")
    assert not page.get_by_role("button", name="Send my reading").is_visible()  # nothing to send mid-recording
    stop_in_trailing_pause(page, reading, started)
    page.get_by_role("button", name="Send my reading").click()
    page.wait_for_url(re.compile(r".*/student/pronunciation/\d+$"), timeout=180_000)
    page.wait_for_selector(".reading .word", timeout=60_000)

    words = page.locator(".reading .word")
    assert words.count() >= len(PASSAGE.split())
    assert page.locator(".reading .word-good").count() > len(PASSAGE.split()) // 2
    for label in ("Pronunciation score", "Accuracy", "Fluency", "Completeness", "Prosody"):
        assert page.locator(".pron-scores").get_by_text(label, exact=True).count() == 1
    screenshot(page, "pronunciation-result")
    # The player shows the recording's real length before it is played, not 0:00.
    page.wait_for_function("() => document.getElementById('whole-recording').duration > 1", timeout=10_000)

    words.filter(has_text="park").first.click()
    popover = page.locator(".phones-pop:popover-open")
    assert popover.locator("table.phones tbody tr").count() >= 3  # P AA R K
    assert popover.get_by_role("button", name="Hear how you said it").is_visible()
    screenshot(page, "pronunciation-word-phones", full_page=False)
    hear = popover.get_by_role("button", name="Hear how you said it")
    hear.click()
    # The recording is fetched, decoded and the word's slice played to its end.
    page.wait_for_selector(".play-word[data-state='played'], .play-word[data-state='failed']")
    assert hear.get_attribute("data-state") == "played"
    popover.get_by_role("button", name="Close").click()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "pronunciation-result-phone")
    page.set_viewport_size({"width": 1200, "height": 900})

    nav.get_by_role("link", name="My Progress").click()
    page.wait_for_selector("canvas[data-chart='pronunciation'][data-rendered='true']")
    page.wait_for_selector("canvas[data-chart='wpm'][data-rendered='true']")
    history = page.locator("table.history")
    assert history.get_by_text(PASSAGE_TITLE).count() == 1
    assert history.get_by_text("My weekend (3 days ago)").count() == 1
    assert history.get_by_text("(automatic 74)").count() == 1
    box = page.locator("canvas[data-chart='wpm']").bounding_box()
    assert box["width"] > 200 and box["height"] > 150
    # The curve through the sessions (105, 128, 171, 146 wpm) stays between the lowest and the
    # highest real value: a smoothed line must not draw a pace that no session had.
    assert page.evaluate("""() => {
      const chart = Chart.getChart('chart-wpm');
      const line = chart.getDatasetMeta(chart.data.datasets.findIndex(d => d.label === 'Words per minute'));
      const ys = line.data.map(p => p.y), top = Math.min(...ys), bottom = Math.max(...ys);
      return line.data.flatMap(p => [p.cp1y, p.cp2y]).filter(y => y < top - 0.5 || y > bottom + 0.5).length;
    }""") == 0
    screenshot(page, "my-progress")

    page.get_by_label("Show", exact=True).select_option("pronunciation")
    page.get_by_role("button", name="Apply").click()
    assert history.get_by_text("My weekend (3 days ago)").count() == 0
    history.get_by_role("link", name=re.compile("Open report")).first.click()
    page.wait_for_selector(".reading .word")
    with live_server.app.app_context():
        saved = db.session.query(PracticeSession).filter_by(student_id=student_id, kind="pronunciation").one()
        assert saved.status == "done" and saved.prompt_text == PASSAGE and saved.pron_score is not None
