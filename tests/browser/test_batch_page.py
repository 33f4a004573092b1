"""The teacher's batch page in Chromium, against a real Celery worker: upload, live progress, results, report."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.factories import make_classroom, make_student, make_teacher

from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_teacher_uploads_a_batch_watches_it_run_and_opens_a_report(live_server, live_worker, speech_wav_for,
                                                                   chromium_for, new_page, tmp_path):
    from playwright.sync_api import expect

    with live_server.app.app_context():
        teacher = make_teacher(name="Ms Rivera")
        maya = make_student(name="Maya Lee", email="maya.lee@school.test")
        classroom = make_classroom(teacher, "Year 7 English", students=(db.session.merge(maya),))
        class_name = classroom.name
    speech = speech_wav_for("On Saturday I went to the beach with my family and we built a big sandcastle.")
    files = {"maya_lee_weekend.wav": speech.read_bytes(), "visitor.wav": speech.read_bytes(),
             "broken.wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64}
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))

    page = new_page(chromium_for(None))
    log_in(page, teacher.email)
    page.get_by_role("link", name="Batch analysis").click()
    expect(page.get_by_role("heading", name="Batch analysis")).to_be_visible()
    page.get_by_label("Recordings or a zip").set_input_files(paths)
    page.get_by_label("Class (optional)").select_option(label=class_name)
    screenshot(page, "batch-upload-form")
    page.get_by_role("button", name="Upload and analyse").click()

    # No worker yet: every file waits in the queue, and the page says so.
    expect(page.locator("#job-summary")).to_have_text("0 of 3 files finished.")
    expect(page.locator("#job-status")).to_have_text("queued")
    expect(page.locator("#job-items tbody tr")).to_have_count(3)
    expect(page.locator("#job-items tbody tr").first).to_contain_text("Maya Lee")  # attached by its name
    assert "?job=" in page.url
    screenshot(page, "batch-queued")

    live_worker.start_worker("batch-page")
    expect(page.get_by_role("heading", name="Results")).to_be_visible(timeout=120_000)
    expect(page.locator("#job-status")).to_have_text("partially failed")
    rows = page.locator("#job-items tbody tr")
    expect(rows.filter(has_text="maya_lee_weekend.wav")).to_contain_text("Maya Lee")
    expect(rows.filter(has_text="visitor.wav")).to_contain_text("Done")
    expect(rows.filter(has_text="broken.wav").first).to_contain_text("Failed")
    expect(page.locator("#job-items")).to_contain_text("Why broken.wav failed: This recording seems to be broken")
    assert page.get_by_role("link", name="Download results (CSV)").get_attribute("href").endswith("format=csv")
    page.wait_for_timeout(500)  # let the progress bar finish its CSS transition
    screenshot(page, "batch-results")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "batch-results-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="maya_lee_weekend.wav").click()
    expect(page.get_by_role("heading", name="maya_lee_weekend.wav")).to_be_visible()
    expect(page.get_by_text("beach")).to_be_visible()
    screenshot(page, "batch-item-report")
