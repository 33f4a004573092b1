"""The class's curriculum reaches the real analysis: a student's speech (espeak-ng audio through
the real pipeline and runner) gets a report whose curriculum section checks the target words."""
from __future__ import annotations

from app.extensions import db
from app.models import PracticeSession, Topic, User
from app.practice.analysis_runner import run_session_analysis
from app.practice.states import start_session, submit_session
from tests.factories import make_classroom, make_student, make_teacher, speech_wav, store_audio

from .conftest import signed_in

SPEECH = (
    "Last weekend I cooked dinner with my grandmother. We followed two old recipes and bought fresh "
    "ingredients at the market. The soup was delicious because we added lots of garlic."
)


def test_analysis_of_a_class_session_reports_on_the_teachers_goals(app):
    with app.app_context():
        teacher, student = make_teacher(), make_student()
        classroom = make_classroom(teacher, "7B", students=(student,))
        topic = Topic(classroom=classroom, title="A meal I enjoyed", prompt="Talk about a meal you cooked or ate.")
        db.session.add(topic)
        db.session.commit()
        class_id, topic_id, student_id = classroom.id, topic.id, student.id
    goals = {
        "grammar_focus": ["past_simple"],
        "vocabulary": ["recipe", "ingredient", "delicious", "spatula"],
        "rubric": [{"name": "Ideas", "description": "Clear main point", "weight": 60},
                   {"name": "Words", "description": "Uses the target words", "weight": 40}],
    }
    assert signed_in(app, teacher).send_json("PUT", f"/api/classes/{class_id}/curriculum", goals).status_code == 200

    with app.app_context():
        session = start_session(db.session.get(User, student_id), "impromptu", topic=db.session.get(Topic, topic_id))
        submit_session(session, store_audio(session, speech_wav(SPEECH)), "audio/wav")
        db.session.commit()
        session_id = session.id
        run_session_analysis(session_id)

    with app.app_context():
        session = db.session.get(PracticeSession, session_id)
        assert session.status == "done", (session.error_code, session.error_message)
        curriculum = session.report["curriculum"]
        words = {entry["word"]: entry for entry in curriculum["target_words"]}
        assert set(words) == {"recipe", "ingredient", "delicious", "spatula"}
        # Spoken as "recipes" and "ingredients": inflections count as the target word.
        assert words["recipe"]["used"] and words["ingredient"]["used"] and words["delicious"]["used"]
        assert not words["spatula"]["used"]
        assert [g["key"] for g in curriculum["grammar_focus"]] == ["past_simple"]
        assert [c["name"] for c in curriculum["rubric"]["criteria"]] == ["Ideas", "Words"]

    # The teacher's review page draws that report, target words included.
    html = signed_in(app, teacher).get(f"/teacher/classes/{class_id}/sessions/{session_id}").get_data(as_text=True)
    assert "delicious" in html and "spatula" in html
