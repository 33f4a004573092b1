"""A small class with hand-checkable figures, shared by the analytics and browser tests.

Every number in EXPECTED below was worked out by hand from these sessions.
"""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models import CurriculumGoal, PracticeSession, utcnow
from tests.factories import make_classroom, make_session, make_student, make_teacher

VOCAB = ["journey", "ancient", "explore"]


def curriculum(used: set[str], past_simple: bool, delivery: float) -> dict:
    return {
        "target_words": [
            {"word": w, "used": w in used, "count": int(w in used), "forms_heard": [], "times": [], "indices": []}
            for w in VOCAB
        ],
        "target_words_used": len(used),
        "target_words_total": len(VOCAB),
        "grammar_focus": [
            {
                "key": "past_simple",
                "label": "Past simple",
                "used": past_simple,
                "count": int(past_simple),
                "examples": [{"quote": "we went to the old castle", "start": 1.0, "end": 2.0}] if past_simple else [],
            }
        ],
        "grammar_notes": "",
        "rubric": {
            "criteria": [
                {
                    "name": "Delivery",
                    "weight": 60,
                    "skills": ["fluency"],
                    "evidence": [],
                    "score": delivery,
                    "measurable": True,
                },
                {"name": "Eye contact", "weight": 40, "skills": [], "evidence": [], "score": None, "measurable": False},
            ],
            "score": delivery,
            "measured_weight": 60,
        },
    }


def talk_report(f100, long_pauses, duration, mtld, level, linking, structure, used, past_simple, delivery) -> dict:
    return {
        "kind": "impromptu",
        "metrics": {
            "fillers_per_100_words": f100,
            "long_pause_count": long_pauses,
            "duration": duration,
            "mtld": mtld,
            "approx_level": level,
            "distinct_linking_words": linking,
            "mean_pause": 0.6,
        },
        "scores": {"structure": {"score": structure, "inputs": {}, "parts": {}, "amount": 1.0}},
        "curriculum": curriculum(used, past_simple, delivery),
    }


def add(student, classroom, *, days_ago: float, kind: str = "impromptu", **columns) -> PracticeSession:
    """A finished session of *classroom*, *days_ago* days back, with the columns given and no others."""
    finished = utcnow() - timedelta(days=days_ago)
    columns.setdefault("transcript", None)
    return make_session(student, classroom=classroom, kind=kind, score=None, started_at=finished - timedelta(minutes=2),
                        finished_at=finished, **columns)


READING_WORDS = [
    {
        "Word": "three",
        "ErrorType": "Mispronunciation",
        "AccuracyScore": 40,
        "Phonemes": [
            {"Phoneme": "TH", "AccuracyScore": 20},
            {"Phoneme": "R", "AccuracyScore": 50},
            {"Phoneme": "IY", "AccuracyScore": 90},
        ],
    },
    {
        "Word": "this",
        "ErrorType": "None",
        "AccuracyScore": 90,
        "Phonemes": [{"Phoneme": "DH", "AccuracyScore": 85}, {"Phoneme": "IH", "AccuracyScore": 95}],
    },
    {
        "Word": "very",
        "ErrorType": "Mispronunciation",
        "AccuracyScore": 50,
        "Phonemes": [
            {"Phoneme": "V", "AccuracyScore": 30},
            {"Phoneme": "EH", "AccuracyScore": 90},
            {"Phoneme": "R", "AccuracyScore": 70},
            {"Phoneme": "IY", "AccuracyScore": 80},
        ],
    },
    {"Word": "castle", "ErrorType": "Omission", "AccuracyScore": 0, "Phonemes": []},
]


def seed_class() -> dict:
    """Anna and Ben practised; Cara never did; Dev practised only in the previous period."""
    teacher = make_teacher(name="Ms Teacher")
    anna = make_student(name="Anna Berg", email="anna.berg@example.com")
    ben = make_student(name="Ben Cole", email="ben.cole@example.com")
    cara = make_student(name="Cara Diaz", email="cara.diaz@example.com")
    dev = make_student(name="Dev Evans", email="dev.evans@example.com")
    classroom = make_classroom(teacher, name="Year 7 Oracy", students=(anna, ben, cara, dev))
    db.session.add(
        CurriculumGoal(
            class_id=classroom.id,
            grammar_focus=["past_simple"],
            vocabulary=VOCAB,
            rubric=[{"name": "Delivery", "weight": 60}, {"name": "Eye contact", "weight": 40}],
        )
    )
    add(
        anna,
        classroom,
        days_ago=1,
        overall_score=60,
        fluency_score=70,
        vocabulary_score=50,
        grammar_score=60,
        relevance_score=80,
        words_per_minute=130,
        fillers_per_minute=2.6,
        audio_seconds=60,
        transcript="Last summer we went to the old castle because it was ancient. "
        "It was so much fun and I want to explore more.",
        report=talk_report(2.0, 1, 60, 50, "A2", 3, 60, {"journey", "explore"}, True, 70),
    )
    add(
        anna,
        classroom,
        days_ago=2,
        overall_score=80,
        fluency_score=90,
        vocabulary_score=70,
        grammar_score=80,
        relevance_score=60,
        words_per_minute=150,
        fillers_per_minute=6.0,
        audio_seconds=90,
        transcript="My journey to school is long. I take the bus every day with my sister.",
        report=talk_report(4.0, 3, 90, 70, "B1", 1, 80, {"journey"}, False, 90),
    )
    add(
        ben,
        classroom,
        days_ago=3,
        overall_score=40,
        fluency_score=40,
        vocabulary_score=30,
        grammar_score=50,
        relevance_score=50,
        words_per_minute=190,
        fillers_per_minute=10.0,
        audio_seconds=30,
        transcript="Um so I play um football with anna a lot. Football is like fun and we play every day.",
        report=talk_report(8.0, 2, 30, 40, "A2", 0, 40, {"explore"}, False, 50),
    )
    add(
        ben,
        classroom,
        days_ago=1.5,
        kind="pronunciation",
        accuracy_score=70,
        pron_fluency_score=80,
        prosody_score=60,
        completeness_score=90,
        pron_score=65,
        audio_seconds=40,
        transcript="three this very",
        report={"AccuracyScore": 70, "Words": READING_WORDS},
    )
    # The previous 14 days, for trends.
    add(anna, classroom, days_ago=20, overall_score=60, words_per_minute=120, fillers_per_minute=3.0, audio_seconds=60)
    add(ben, classroom, days_ago=20, overall_score=70, words_per_minute=150, fillers_per_minute=5.0, audio_seconds=60)
    add(dev, classroom, days_ago=20, overall_score=50, words_per_minute=100, fillers_per_minute=4.0, audio_seconds=60)
    # Not counted: unfinished, another class, older than both periods.
    other = make_classroom(teacher, name="Other class", students=(anna,))
    add(anna, other, days_ago=1, overall_score=5, words_per_minute=300, audio_seconds=600)
    db.session.add(
        PracticeSession(
            student_id=anna.id,
            class_id=classroom.id,
            kind="impromptu",
            status="scoring",
            overall_score=1,
            words_per_minute=10,
        )
    )
    add(ben, classroom, days_ago=40, overall_score=99, words_per_minute=99, audio_seconds=99)
    db.session.commit()
    return {
        "teacher": teacher,
        "classroom": classroom,
        "anna": anna,
        "ben": ben,
        "cara": cara,
        "dev": dev,
        "other": other,
    }
