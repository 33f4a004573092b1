"""Curriculum goals: the page and PUT /api/classes/<id>/curriculum validate the same way,
and nothing is half-saved when any part is wrong."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Classroom, CurriculumGoal
from tests.factories import make_classroom, make_teacher

from .conftest import signed_in

GOOD = {
    "grammar_focus": ["past_simple", "linking_words"],
    "grammar_notes": "Use 'because' and 'so'.",
    "vocabulary": ["recipe", "delicious", "ingredients"],
    "rubric": [
        {"name": "Ideas", "description": "Clear main point", "weight": 50},
        {"name": "Language", "description": "Target words used", "weight": 30},
        {"name": "Delivery", "description": "", "weight": 20},
    ],
}


def as_form(payload: dict) -> dict:
    data = {"grammar_focus": payload.get("grammar_focus", []), "grammar_notes": payload.get("grammar_notes", ""),
            "vocabulary": "\n".join(payload.get("vocabulary", []))}
    for i, row in enumerate(payload.get("rubric", [])):
        for key, value in row.items():
            data[f"rubric-{i}-{key}"] = str(value)
    return data


@pytest.fixture
def owned(app):
    with app.app_context():
        teacher = make_teacher()
        return teacher, make_classroom(teacher, "7B").id


def _goal(app, class_id):
    with app.app_context():
        goal = db.session.get(Classroom, class_id).curriculum
        return goal.to_json() if goal else None


def test_page_saves_goals_and_shows_them_again(app, owned):
    teacher, class_id = owned
    client = signed_in(app, teacher)
    response = client.post_form(f"/teacher/classes/{class_id}/curriculum", as_form(GOOD))
    assert response.status_code == 302
    goal = _goal(app, class_id)
    assert goal["grammar_focus"] == ["past_simple", "linking_words"]
    assert goal["vocabulary"] == ["recipe", "delicious", "ingredients"]
    assert [(c["name"], c["weight"]) for c in goal["rubric"]] == [("Ideas", 50), ("Language", 30), ("Delivery", 20)]
    form = client.get(f"/teacher/classes/{class_id}/curriculum").get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*value="(\w+)"', form)
    assert checked == ["past_simple", "linking_words"]
    assert "ingredients" in form and 'value="Ideas"' in form
    # Three rows filled: the page offers spare empty rows for a teacher without JavaScript.
    assert 'name="rubric-4-name"' in form


def test_api_put_and_get(app, owned):
    teacher, class_id = owned
    client = signed_in(app, teacher)
    put = client.send_json("PUT", f"/api/classes/{class_id}/curriculum", GOOD)
    assert put.status_code == 200, put.get_json()
    got = client.get(f"/api/classes/{class_id}/curriculum").get_json()
    assert got["vocabulary"] == GOOD["vocabulary"] and got["rubric"][0]["weight"] == 50
    cleared = client.send_json("PUT", f"/api/classes/{class_id}/curriculum", {"vocabulary": "sun, moon"})
    assert cleared.status_code == 200
    assert cleared.get_json()["vocabulary"] == ["sun", "moon"] and cleared.get_json()["rubric"] == []


BAD = [
    ({"vocabulary": ["Recipe", "delicious", "recipe"]}, "vocabulary", "Listed twice (capitals don't matter): “recipe”"),
    ({"vocabulary": ["x" * 61]}, "vocabulary", "too long"),
    ({"vocabulary": [f"w{i}" for i in range(101)]}, "vocabulary", "Up to 100 words"),
    ({"rubric": [{"name": "Ideas", "weight": 50}, {"name": "Voice", "weight": 40}]}, "rubric",
     "The weights add up to 90; they must add up to 100."),
    ({"rubric": [{"name": "Ideas", "weight": 100}, {"name": "", "description": "no name", "weight": ""}]},
     "rubric-1-name", "Name this criterion."),
    ({"rubric": [{"name": "Ideas", "weight": ""}]}, "rubric-0-weight", "Give this criterion a weight."),
    ({"rubric": [{"name": "Ideas", "weight": "lots"}]}, "rubric-0-weight", "Not a valid integer value."),
    ({"rubric": [{"name": "Ideas", "weight": 60}, {"name": "ideas", "weight": 40}]}, "rubric-1-name",
     "Two criteria have this name."),
    ({"grammar_focus": ["time_travel"]}, "grammar_focus", "not a valid choice"),
    ({"grammar_notes": "n" * 10_000}, "grammar_notes", "Keep the notes under 2,000 characters."),
]


@pytest.mark.parametrize("change, field, message", BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_bad_goals_are_refused_on_page_and_api_and_nothing_is_half_saved(app, owned, change, field, message):
    teacher, class_id = owned
    client = signed_in(app, teacher)
    client.send_json("PUT", f"/api/classes/{class_id}/curriculum", GOOD)
    before = _goal(app, class_id)
    payload = GOOD | change
    page = client.post_form(f"/teacher/classes/{class_id}/curriculum", as_form(payload))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert message.replace("'", "&#39;") in html or message in html
    api = client.send_json("PUT", f"/api/classes/{class_id}/curriculum", payload)
    assert api.status_code == 400
    errors = api.get_json()["errors"]
    assert any(message.lower() in m.lower() for m in errors[field]), errors
    assert _goal(app, class_id) == before


@pytest.mark.parametrize(
    "payload, field",
    [(["not", "an", "object"], "body"), ({"vocabulary": 7}, "vocabulary"), ({"rubric": "fifty"}, "rubric"),
     ({"grammar_focus": "past_simple"}, "grammar_focus"),
     ({"rubric": [{"name": ["x"], "weight": 100}]}, "rubric-0-name")],
)
def test_api_refuses_wrong_types_with_400(app, owned, payload, field):
    teacher, class_id = owned
    response = signed_in(app, teacher).send_json("PUT", f"/api/classes/{class_id}/curriculum", payload)
    assert response.status_code == 400 and field in response.get_json()["errors"]
    with app.app_context():
        assert db.session.query(CurriculumGoal).count() == 0


def test_html_in_goals_is_escaped(app, owned):
    teacher, class_id = owned
    client = signed_in(app, teacher)
    xss = "<script>alert(1)</script>"
    payload = GOOD | {"grammar_notes": xss, "vocabulary": [xss],
                      "rubric": [{"name": xss, "description": xss, "weight": 100}]}
    assert client.send_json("PUT", f"/api/classes/{class_id}/curriculum", payload).status_code == 200
    for url in (f"/teacher/classes/{class_id}", f"/teacher/classes/{class_id}/curriculum"):
        html = client.get(url).get_data(as_text=True)
        assert xss not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
