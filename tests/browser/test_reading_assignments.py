"""A teacher sets a reading passage with a due day in a real browser; the student sees it "From your
teacher", and the class page shows who has read it and the class's reading fluency."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Classroom, SessionKind, Topic, utcnow
from tests.factories import make_classroom, make_session, make_student, make_teacher

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_reading_assignment_from_the_teachers_form_to_the_students_home(live_server, chromium_for, new_page):
    with live_server.app.app_context():
        teacher = make_teacher(name="Ms Rivera")
        maya, leo = make_student(name="Maya Patel"), make_student(name="Leo Novak")
        classroom = make_classroom(teacher, "Year 6 Owls", students=(maya, leo))
        class_id = classroom.id
        for days, wcpm, rate in ((8, 71.0, 90.0), (2, 84.0, 94.0)):
            make_session(maya, kind=SessionKind.PRONUNCIATION.value, classroom=classroom,
                         started_at=utcnow() - timedelta(days=days), words_correct_per_minute=wcpm, accuracy_rate=rate)
    browser = chromium_for(None)
    page = new_page(browser)
    log_in(page, teacher.email)
    page.goto(f"/teacher/classes/{class_id}")
    page.get_by_role("link", name="New reading passage").click()
    assert page.get_by_label("Speaking time (seconds)").count() == 0
    page.get_by_label("Pick a passage from the library").select_option(index=1)
    page.get_by_label("Due (optional)").fill("2026-12-12")
    screenshot(page, "reading-passage-form")
    page.get_by_role("button", name="Save passage").click()
    page.wait_for_url(lambda url: url.endswith("#topics"))
    with live_server.app.app_context():
        classroom = db.session.get(Classroom, class_id)
        classroom.reading_norms_grade = 5
        db.session.commit()
        topic = db.session.scalars(db.select(Topic).where(Topic.class_id == class_id)).one()
        title = topic.title
    page.reload()
    assert page.get_by_text("Read by 0 of 2").is_visible()
    assert page.get_by_text("Grade 5 norms for first-language readers").is_visible()
    screenshot(page, "class-page-reading")

    student_page = new_page(browser, viewport={"width": 420, "height": 900})
    log_in(student_page, maya.email)
    student_page.goto("/student/")
    section = student_page.locator("#from-teacher")
    assert section.get_by_text("Due 12 Dec 2026").is_visible()
    screenshot(student_page, "student-home-reading-assignment")
    section.get_by_role("link", name=f"Read “{title}” aloud").click()
    student_page.wait_for_url(lambda url: f"topic={topic.id}" in url)
    assert student_page.locator("#passage").inner_text().strip() == topic.prompt.strip()
