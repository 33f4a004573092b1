"""The class report in headless Chromium: reached from the class page, charts drawn, printable, CSV export."""

from __future__ import annotations

import csv
import io
import random

import pytest

from app.extensions import db
from app.models import PracticeSession
from tests.analytics.seed import READING_WORDS, add, seed_class, talk_report
from tests.factories import make_student

from .conftest import ARTIFACTS, log_in, screenshot

pytestmark = pytest.mark.browser

TALKS = [
    "First we went to the museum and then we explored the ancient harbour. It was amazing because I learned a lot.",
    "Um I think like school should start later. Um you know students are tired in the morning.",
    "If I could travel anywhere I would go to Japan. However it is very far away from my home.",
]


def seed_report_class():
    """The hand-checked class from tests/analytics plus twelve more students with varied figures."""
    data = seed_class()
    classroom, rng = data["classroom"], random.Random(3)
    for n in range(12):
        student = make_student(name=f"Pupil {chr(65 + n)} Example")
        from app.classes.services import join_class

        join_class(student, classroom.join_code)
        for _ in range(rng.randint(1, 4)):
            wpm = rng.uniform(95, 195)
            add(
                student,
                classroom,
                days_ago=rng.uniform(0.1, 13.5),
                overall_score=rng.uniform(35, 92),
                fluency_score=rng.uniform(40, 95),
                vocabulary_score=rng.uniform(40, 90),
                grammar_score=rng.uniform(45, 95),
                relevance_score=rng.uniform(50, 95),
                words_per_minute=wpm,
                fillers_per_minute=rng.uniform(0.5, 9),
                audio_seconds=rng.uniform(40, 90),
                transcript=rng.choice(TALKS),
                report=talk_report(
                    rng.uniform(0.5, 7),
                    rng.randint(0, 4),
                    60,
                    rng.uniform(35, 80),
                    rng.choice(["A2", "B1", "B2"]),
                    rng.randint(0, 4),
                    rng.randint(40, 90),
                    set(rng.sample(["journey", "explore"], k=rng.randint(0, 2))),
                    rng.random() < 0.5,
                    rng.randint(50, 90),
                ),
            )
        add(
            student,
            classroom,
            days_ago=rng.uniform(0.1, 13.5),
            kind="pronunciation",
            accuracy_score=rng.uniform(55, 90),
            pron_fluency_score=rng.uniform(60, 95),
            prosody_score=rng.uniform(50, 85),
            pron_score=rng.uniform(55, 90),
            completeness_score=95,
            audio_seconds=30,
            transcript="three this very",
            report={"Words": READING_WORDS},
        )
        add(
            student,
            classroom,
            days_ago=rng.uniform(14.5, 27),
            overall_score=rng.uniform(40, 85),
            words_per_minute=rng.uniform(100, 180),
            fillers_per_minute=rng.uniform(1, 8),
            audio_seconds=60,
        )
    db.session.commit()
    return data


def test_class_report_in_chromium(live_server, chromium_for, new_page, tmp_path):
    from app.analytics import init_app

    init_app(live_server.app)
    with live_server.app.app_context():
        data = seed_report_class()
        teacher_email, class_id = data["teacher"].email, data["classroom"].id
        assert db.session.query(PracticeSession).count() > 40
    page = new_page(chromium_for(None))
    log_in(page, teacher_email)

    page.goto(f"{live_server.url}/teacher/classes/{class_id}")
    button = page.get_by_role("link", name="View Class Report")
    if button.count():  # the class page's button (teacher portal); otherwise go straight there
        button.click()
    else:
        page.goto(f"{live_server.url}/teacher/classes/{class_id}/report")
    page.wait_for_url(f"**/teacher/classes/{class_id}/report")

    page.wait_for_function(
        "() => window.Chart && ['chart-wpm','chart-scores','chart-trend','chart-vocab','chart-sounds']"
        ".every(id => Chart.getChart(id))"
    )
    assert page.get_by_role("heading", name="Class report: Year 7 Oracy").is_visible()
    assert page.get_by_role("heading", name="Recommended tutorials").is_visible()
    assert page.locator(".tutorial").count() >= 3 and page.get_by_text("Why chosen:").first.is_visible()
    attention = page.locator(".attention li")
    assert attention.filter(has_text="Ben Cole").count() == 1 and attention.filter(has_text="Cara Diaz").count() == 1
    bars = page.evaluate("() => Chart.getChart('chart-wpm').data.datasets[0].data.reduce((a, b) => a + b, 0)")
    assert bars == 14  # every student who gave a talk, once
    ben_link = attention.filter(has_text="Ben Cole").get_by_role("link", name="Ben Cole")
    if ben_link.count():  # the teacher portal's student page exists: the name links to it
        assert f"/teacher/classes/{class_id}/students/" in ben_link.get_attribute("href")
    screenshot(page, "class-report")
    screenshot(page, "class-report-top", full_page=False)
    for name, selector in (
        ("charts", ".charts"),
        ("tutorials", "[aria-labelledby=tutorials-title]"),
        ("tables", "[aria-labelledby=delivery-title]"),
        ("language", ".grid-2:has(#language-title)"),
    ):
        page.locator(selector).screenshot(path=str(ARTIFACTS / f"class-report-{name}.png"))

    # The period form is keyboard-usable and changes the report.
    page.get_by_label("Last").select_option("7")
    page.get_by_role("button", name="Show").press("Enter")
    page.wait_for_url("**days=7**")
    assert page.get_by_text("(7 days,").is_visible()  # "… to … (7 days, UTC time), compared with …"
    page.get_by_label("Last").select_option("")
    page.get_by_label("or from").fill("2026-03-10")
    page.get_by_label("to", exact=True).fill("2026-03-01")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("alert").inner_text().startswith("The from date must not be after")

    page.goto(f"{live_server.url}/teacher/classes/{class_id}/report")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = tmp_path / "report.csv"
    download_info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert len(rows) == 16 and rows[0]["Student"] == "Anna Berg"

    page.emulate_media(media="print")
    assert (
        not page.locator(".period-form").is_visible() and not page.get_by_role("link", name="Download CSV").is_visible()
    )
    assert page.locator("#chart-trend").is_visible()
    screenshot(page, "class-report-print")
    screenshot(page, "class-report-print-top", full_page=False)
    pdf = page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert pdf[:4] == b"%PDF"

    with live_server.app.app_context():
        from tests.factories import make_classroom

        empty_id = make_classroom(db.session.merge(data["teacher"]), name="Brand new class").id
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/teacher/classes/{empty_id}/report")
    assert page.get_by_role("heading", name="Nothing to report yet").is_visible()
    screenshot(page, "class-report-empty", full_page=False)

    phone = new_page(chromium_for(None), viewport={"width": 390, "height": 844})
    log_in(phone, teacher_email)
    phone.goto(f"{live_server.url}/teacher/classes/{class_id}/report")
    phone.wait_for_function("() => window.Chart && Chart.getChart('chart-wpm')")
    screenshot(phone, "class-report-phone")
    screenshot(phone, "class-report-phone-top", full_page=False)
    too_wide = phone.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap'))
        .map(el => el.tagName + '.' + el.className + '#' + el.id).slice(0, 8)""")
    assert too_wide == [] and phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
