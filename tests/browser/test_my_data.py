"""In Chromium: a student deletes a recording from its report (after confirming), leaves a class and
finds the "Download my data" button on My account."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import PracticeSession

from ..factories import make_classroom, make_session, make_student, make_teacher
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def student_with_a_recording(live_server):
    with live_server.app.app_context():
        student = make_student(name="Maya Park", email="maya@example.com")
        make_classroom(make_teacher(name="Ms Rao"), name="Class 6R", students=(student,))
        session = make_session(student, audio=b"RIFF\x24\x00\x00\x00WAVEfmt ", audio_mime="audio/wav",
                               prompt_title="My weekend")
        return session.id, student.email


def test_delete_a_recording_and_leave_a_class(live_server, chromium_for, new_page, student_with_a_recording):
    session_id, email = student_with_a_recording
    page = new_page(chromium_for(None))
    log_in(page, email)
    page.goto(f"/student/sessions/{session_id}")
    page.once("dialog", lambda dialog: dialog.accept())
    screenshot(page, "privacy-report-delete")
    page.get_by_role("button", name="Delete this recording").click()
    page.wait_for_url(lambda url: url.endswith("/student/progress"))
    assert "Your recording and its report were deleted." in page.content()
    with live_server.app.app_context():
        assert db.session.get(PracticeSession, session_id) is None
    page.goto("/student/account")
    assert page.get_by_role("link", name="Download my data").is_visible()
    screenshot(page, "privacy-my-account")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Leave this class").click()
    page.wait_for_url(lambda url: url.endswith("/student/account"))
    assert "You left Class 6R" in page.content()
