"""The headline score: the teacher's override, else the automatic score for the session's kind, in Python and SQL."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import PracticeSession
from tests.factories import make_session, make_student


def test_one_rule_in_python_and_in_sql(app_ctx):
    student = make_student()
    made = {
        "speech": make_session(student, kind="impromptu", overall_score=57, pron_score=99),
        "speech with override": make_session(student, kind="impromptu", overall_score=57, override_score=45),
        "reading": make_session(student, kind="pronunciation", pron_score=81, overall_score=12),
        "reading with override": make_session(student, kind="pronunciation", pron_score=81, override_score=90),
        "not scored": make_session(student, status="failed", score=None),
    }
    expected = {"speech": 57, "speech with override": 45, "reading": 81, "reading with override": 90,
                "not scored": None}
    in_python = {name: session.headline_score for name, session in made.items()}
    in_sql = dict(db.session.execute(select(PracticeSession.id, PracticeSession.headline_score)).all())
    assert in_python == expected
    assert {name: in_sql[session.id] for name, session in made.items()} == expected
    best = db.session.scalar(select(PracticeSession.id).order_by(PracticeSession.headline_score.desc().nulls_last()))
    assert best == made["reading with override"].id
