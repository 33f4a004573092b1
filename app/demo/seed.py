"""Demo data for a first look: a teacher, a class with a join code, students, topics and goals."""
from __future__ import annotations

from sqlalchemy import func, select

from app.auth.services import register_user
from app.classes.services import create_class, join_class
from app.extensions import db
from app.models import Classroom, CurriculumGoal, Topic, User
from app.school.services import create_school

from .sessions import seed_sessions

DEMO_PASSWORD = "podium-demo"  # noqa: S105 - the demo's published password, printed by flask seed-demo
DEMO_STUDENTS = [("Maya Patel", "maya"), ("Leo Novak", "leo"), ("Amira Haddad", "amira"), ("Sam Okafor", "sam")]


def seed_demo(force: bool = False) -> bool:
    """Add the demo accounts to an empty database; returns False if users already exist."""
    if not force and db.session.scalar(select(func.count(User.id))):
        return False
    seed_sessions(seed_accounts(force))
    return True


def seed_accounts(force: bool = False) -> Classroom:
    """The demo school: its admin, a teacher, a class with a topic and goals, and four students."""
    school = create_school("Podium Demo School", "Europe/London")
    register_user("Mr Okoro", "admin@podium.test", DEMO_PASSWORD, "admin", school=school)
    teacher = register_user("Ms Rivera", "teacher@podium.test", DEMO_PASSWORD, "teacher", school=school)
    classroom = create_class(teacher, "Year 7 English")
    classroom.join_code = "DEMO7ENG" if not force else classroom.join_code
    db.session.add_all(
        [
            Topic(
                classroom=classroom,
                title="A place I would like to visit",
                prompt="Describe a place you would like to visit one day. Why does it interest you, "
                "and what would you do there?",
                prep_seconds=30,
                speaking_seconds=60,
            ),
            CurriculumGoal(
                classroom=classroom,
                grammar_focus=["past_simple", "linking_words"],
                grammar_notes="This week: telling a story in order.",
                vocabulary=["journey", "explore", "remember", "because"],
                rubric=[
                    {"name": "Clear structure", "description": "Beginning, middle and end", "weight": 40},
                    {"name": "Fluency", "description": "Few fillers, steady pace", "weight": 30},
                    {"name": "Vocabulary", "description": "Uses this week's words", "weight": 30},
                ],
            ),
        ]
    )
    for name, handle in DEMO_STUDENTS:
        student = register_user(name, f"{handle}@podium.test", DEMO_PASSWORD, "student", school=school)
        student.username = handle if not force else None
        join_class(student, classroom.join_code)
    db.session.commit()
    return classroom
