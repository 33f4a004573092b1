"""In Chromium: a teacher adds a class's students from the class page and prints their login cards,
eight to a page on both A4 and US Letter; the admin's school page is looked at too."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import User

from ..factories import make_admin, make_classroom, make_school, make_teacher
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

NAMES = ["Oliver Smith", "Ava Brown", "Noah Wilson", "Isla Taylor", "Zoë Müller", "Mohammed Al-Rashid",
         "Priya Ramanathan-Krishnan", "Liam O'Connor"]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_teacher_adds_students_and_prints_eight_cards_per_page(live_server, chromium_for, new_page):
    with live_server.app.app_context():
        school = make_school()
        teacher = make_teacher(school=school)
        classroom = make_classroom(teacher, "Year 7 English")
    page = new_page(chromium_for(None))
    log_in(page, teacher.email)
    page.goto(f"{live_server.url}/teacher/classes/{classroom.id}")
    page.get_by_role("link", name="Add students").first.click()
    page.get_by_label("Names, one per line").fill("\n".join(NAMES))
    screenshot(page, "add-students")
    page.get_by_role("button", name="Add students and print login cards").click()
    cards = page.locator(".login-card")
    cards.first.wait_for()
    assert cards.count() == len(NAMES)
    screenshot(page, "login-cards")
    first = cards.first.inner_text()
    assert "YEAR 7 ENGLISH" in first.upper() and "olivers" in first and f"{live_server.url}/login" in first

    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.get_by_role("button", name=re.compile("Print")).is_visible()
    for paper in ("A4", "Letter"):
        assert pdf_pages(page.pdf(format=paper, print_background=True)) == 1, paper
    screenshot(page, "login-cards-print")

    with live_server.app.app_context():
        made = db.session.query(User).filter(User.name.in_(NAMES)).all()
        assert {u.school_id for u in made} == {school.id} and all(u.email is None for u in made)


def test_the_admin_sees_teachers_and_invites_one(live_server, chromium_for, new_page):
    with live_server.app.app_context():
        admin = make_admin(school=make_school())
        make_teacher(school=admin.school, name="Ms Rivera")
    page = new_page(chromium_for(None))
    log_in(page, admin.email)
    assert page.url.endswith("/school/")
    assert page.get_by_role("cell", name="Ms Rivera", exact=True).is_visible()
    page.get_by_label("Teacher's email").fill("new.colleague@example.com")
    page.get_by_role("button", name="Send invite").click()
    link = page.locator("#once-link").inner_text()
    assert "/invite/" in link
    screenshot(page, "admin-invite-link")
    page.get_by_role("link", name="Back to the school").click()
    assert page.get_by_text("new.colleague@example.com").is_visible()
    screenshot(page, "admin-school")

    invitee = new_page(chromium_for(None))
    invitee.goto(link)
    invitee.get_by_label("Your name").fill("Mr Adeyemi")
    invitee.get_by_label("Choose a password").fill("maple orbit lantern 7")
    invitee.get_by_label("Type it again").fill("maple orbit lantern 7")
    screenshot(invitee, "accept-invite")
    invitee.get_by_role("button", name="Join").click()
    invitee.wait_for_url("**/teacher/")
    assert invitee.get_by_text("Welcome to").is_visible()
