"""In Chromium: the admin follows the school page's link to the audit trail, sees a teacher's override and
a password reset (no CSP violation or JS error), and filters it to one action."""
from __future__ import annotations

import pytest

from app.audit import Action, record
from app.extensions import db

from ..factories import make_admin, make_classroom, make_school, make_session, make_student, make_teacher
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_the_admin_reads_and_filters_the_audit_trail(live_server, chromium_for, new_page):
    with live_server.app.test_request_context():
        school = make_school("Audit School")
        admin, teacher = make_admin(school=school), make_teacher(school=school, name="Grace Hopper")
        session = make_session(make_student(username="audited"), classroom=make_classroom(teacher, "8A"))
        record(Action.SCORE_OVERRIDE, session, {"score": 80.0}, actor=teacher)
        record(Action.PASSWORD_RESET, teacher, actor=admin)
        db.session.commit()
        admin_email = admin.email
    page = new_page(chromium_for(None))
    log_in(page, admin_email)
    page.goto(f"{live_server.url}/school/")
    page.get_by_role("link", name="Audit trail").click()
    rows = page.locator("tr[data-event-id]")
    rows.first.wait_for()
    assert rows.count() == 2 and "Grace Hopper" in rows.nth(1).inner_text()
    screenshot(page, "audit-trail")
    page.get_by_role("link", name="Password reset").click()
    page.wait_for_url(lambda url: "action=password_reset" in url)
    assert page.locator("tr[data-event-id]").count() == 1
