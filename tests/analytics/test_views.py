"""The class report over HTTP: page, JSON summary and CSV; refusals; bad periods; an empty class."""

from __future__ import annotations

import csv
import io

import pytest

from app.extensions import db
from tests.conftest import bearer_for, login_as
from tests.factories import make_classroom, make_student, make_teacher

from .seed import seed_class

ROUTES = ["/teacher/classes/{id}/report", "/api/classes/{id}/summary", "/teacher/classes/{id}/report.csv"]


@pytest.fixture
def seeded(app_ctx):
    data = seed_class()
    return {k: v.id for k, v in data.items()}


def test_summary_api_for_the_classes_teacher(app, client, seeded):
    login_as(client, _user(seeded["teacher"]))
    body = client.get(f"/api/classes/{seeded['classroom']}/summary").get_json()
    assert body["period"]["days"] == 14 and body["participation"]["practised"] == 2
    assert body["narrative"]["writer"] == "local" and body["narrative"]["paragraphs"]
    assert {"delivery", "language", "pronunciation", "strengths", "weaknesses", "attention", "tutorials"} <= body.keys()


def test_date_range_changes_the_period(app, client, seeded):
    headers = bearer_for(app, _user(seeded["teacher"]))
    body = client.get(
        f"/api/classes/{seeded['classroom']}/summary?from=2020-01-01&to=2020-01-31", headers=headers
    ).get_json()
    assert body["period"] == {
        "from": "2020-01-01",
        "to": "2020-01-31",
        "days": 31,
        "time_zone": "UTC",  # the school's: its days are the ones counted
        "from_text": "1 Jan 2020",  # as the school writes dates
        "to_text": "31 Jan 2020",
        "previous": {"from": "2019-12-01", "to": "2019-12-31", "days": 31, "time_zone": "UTC",
                     "from_text": "1 Dec 2019", "to_text": "31 Dec 2019"},
    }
    assert body["empty"] is True and body["participation"]["enrolled"] == 4


@pytest.mark.parametrize(
    "query",
    [
        "days=abc",
        "days=0",
        "days=9999",
        "from=2026-01-01",
        "to=2026-01-01",
        "from=2026-02-30&to=2026-03-01",
        "from=2026-03-10&to=2026-03-01",
        "days=7&from=2026-01-01&to=2026-01-02",
    ],
)
def test_bad_period_is_400_json(app, client, seeded, query):
    headers = bearer_for(app, _user(seeded["teacher"]))
    response = client.get(f"/api/classes/{seeded['classroom']}/summary?{query}", headers=headers)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "invalid_period" and body["message"] and body["errors"]


def test_bad_period_on_the_page_shows_the_error(app, client, seeded):
    login_as(client, _user(seeded["teacher"]))
    response = client.get(f"/teacher/classes/{seeded['classroom']}/report?from=2026-03-10&to=2026-03-01")
    assert response.status_code == 400 and b"must not be after" in response.data and b'role="alert"' in response.data


@pytest.mark.parametrize("route", ROUTES)
def test_students_get_403(app, client, seeded, route):
    login_as(client, _user(seeded["anna"]))  # even a student of this class
    assert client.get(route.format(id=seeded["classroom"])).status_code == 403


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("whose", ["other_teacher", "missing"])
def test_other_teachers_and_unknown_classes_get_404(app, client, seeded, route, whose):
    login_as(client, make_teacher() if whose == "other_teacher" else _user(seeded["teacher"]))
    class_id = seeded["classroom"] if whose == "other_teacher" else 999_999
    assert client.get(route.format(id=class_id)).status_code == 404


def test_anonymous_api_gets_401(client, seeded):
    assert client.get(f"/api/classes/{seeded['classroom']}/summary").status_code == 401


def test_empty_class_gets_a_friendly_report(app, client, app_ctx):
    teacher = make_teacher()
    classroom = make_classroom(teacher, students=(make_student(),))
    login_as(client, teacher)
    body = client.get(f"/api/classes/{classroom.id}/summary").get_json()
    assert body["empty"] is True and body["participation"]["enrolled"] == 1
    assert body["narrative"]["headline"] == "No finished practice in this period yet."
    page = client.get(f"/teacher/classes/{classroom.id}/report")
    assert page.status_code == 200 and b"Nothing to report yet" in page.data and b"chart.umd.js" not in page.data
    empty = make_classroom(teacher, name="No students")
    page = client.get(f"/teacher/classes/{empty.id}/report")
    assert page.status_code == 200 and empty.join_code.encode() in page.data


def test_page_shows_narrative_tables_tutorials_and_print_styles(app, client, seeded):
    login_as(client, _user(seeded["teacher"]))
    page = client.get(f"/teacher/classes/{seeded['classroom']}/report").get_data(as_text=True)
    for text in (
        "Class report: Year 7 Oracy",
        "Written by Podium",
        "Strengths",
        "To work on",
        "Link it up",
        "Why chosen:",
        "Needs attention",
        "Ben Cole",
        "Has not practised in this period.",
        "css/report-print.css",
        'media="print"',
        "js/class-report-charts.js",
        "vendor/chart.umd.js",
        "Download CSV",
        "Never used:",
        "ancient",
        "/θ/",
    ):
        assert text in page, text
    assert "anna.berg@example.com" not in page


def test_csv_has_one_row_per_student(app, client, seeded):
    login_as(client, _user(seeded["teacher"]))
    response = client.get(f"/teacher/classes/{seeded['classroom']}/report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"] and ".csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["Student"] for r in rows] == ["Anna Berg", "Ben Cole", "Cara Diaz", "Dev Evans"]
    anna, ben = rows[0], rows[1]
    assert (anna["Finished sessions"], anna["Average speech score"], anna["Words per minute"]) == ("2", "70.0", "140.0")
    trend = anna["Speech trend (points against the speeches before it)"]
    assert (anna["Latest speech score"], trend) == ("60.0", "-10.0")
    assert ben["Needs attention"].startswith("Average talk score 40") and rows[2]["Finished sessions"] == "0"


def test_csv_neutralises_formulas(app, client, app_ctx):
    teacher = make_teacher()
    make_classroom(teacher, students=(make_student(name="=HYPERLINK(1)"),))
    classroom_id = teacher.classes_taught[0].id
    login_as(client, teacher)
    text = client.get(f"/teacher/classes/{classroom_id}/report.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text


def test_each_student_needing_attention_links_to_their_progress_page(app, client, seeded):
    login_as(client, _user(seeded["teacher"]))
    class_id = seeded["classroom"]
    attention = client.get(f"/api/classes/{class_id}/summary").get_json()["attention"]
    html = client.get(f"/teacher/classes/{class_id}/report").get_data(as_text=True)
    assert attention
    for student in attention:
        assert f'<a href="/teacher/classes/{class_id}/students/{student["id"]}">' in html


def _user(user_id):
    from app.models import User

    return db.session.get(User, user_id)
