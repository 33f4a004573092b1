"""The student's pages: dashboard, recorder, report (transcript marks, curriculum, review), audio, retry."""
import html
import re
from html.parser import HTMLParser

import pytest

from app.analysis.engines.base import Transcript, Word
from app.analysis.feedback.writers import get_writer
from app.analysis.report import build_report
from app.extensions import db
from app.models import CurriculumGoal, PracticeSession, SessionComment, Topic
from app.practice.analysis_runner import speaking_task_for, store_report
from app.practice.prompt_bank import PROMPTS
from app.storage import storage

from ..conftest import bearer_for, login_as
from ..factories import make_classroom, make_student, make_teacher, store_audio, stored_bytes
from .conftest import upload

# Words with exact timings: fillers ("um", "uh"), a repeated "the" and a 2.2 s pause before "because".
TIMED = [("So", 0.0), ("um", 0.5), ("I", 1.0), ("think", 1.3), ("the", 1.8), ("the", 2.1), ("beach", 2.4),
         ("is", 2.9), ("great.", 3.2), ("Because", 6.0), ("uh", 6.5), ("I", 7.0), ("swim", 7.3),
         ("there", 7.7), ("with", 8.1), ("my", 8.4), ("family.", 8.7)]


def _done_session(app, student, classroom=None, audio: bytes | None = None) -> int:
    """A finished session whose report comes from the real report builder, on known word timings."""
    topic = None
    if classroom is not None:
        topic = Topic(classroom=classroom, title="The beach", prompt="Talk about the beach.", speaking_seconds=30)
        db.session.add(topic)
    session = PracticeSession(student=student, topic=topic, classroom=classroom, prompt_title="The beach",
                              prompt_text="Talk about the beach.", status="scoring", planned_seconds=40)
    db.session.add(session)
    db.session.flush()
    if audio is not None:
        session.audio_key, session.audio_mime = store_audio(session, audio), "audio/wav"
    words = tuple(Word(w, s, s + 0.3, 0.9) for w, s in TIMED)
    transcript = Transcript(" ".join(w for w, _ in TIMED), words, 10.0, "test")
    store_report(session, build_report(transcript, speaking_task_for(session), get_writer(app.config)))
    db.session.commit()
    return session.id


class Controls(HTMLParser):
    """Collects form controls and the ids labels point at, to check every control is labelled."""

    def __init__(self):
        super().__init__()
        self.controls, self.label_for, self.open_labels, self.button_text = [], set(), 0, {}
        self._button = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea", "audio") and a.get("type") != "hidden":
            self.controls.append((tag, a, self.open_labels > 0 or (a.get("type") == "submit" and a.get("value"))))
        elif tag == "button":
            self._button = a
            self.button_text[id(a)] = ""
            self.controls.append((tag, a, False))

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1
        if tag == "button":
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self.button_text[id(self._button)] += data.strip()


def unlabelled(html: str) -> list:
    parser = Controls()
    parser.feed(html)
    missing = []
    for tag, attrs, wrapped in parser.controls:
        if tag == "button":
            named = parser.button_text.get(id(attrs)) or attrs.get("aria-label")
        else:
            named = wrapped or attrs.get("id") in parser.label_for or attrs.get("aria-label")
        if not named:
            missing.append((tag, attrs))
    return missing


def test_dashboard_lists_class_topics_newest_first_with_tabs(app, browser):
    with app.app_context():
        student = make_student()
        classroom = make_classroom(name="Year 6 Owls", students=(student,))
        for title in ("First topic", "Second topic"):
            db.session.add(Topic(classroom=classroom, title=title, prompt="Talk."))
            db.session.commit()
    login_as(browser.client, student)
    page = browser.get("/student/").get_data(as_text=True)
    assert page.index("Second topic") < page.index("First topic")
    assert "Year 6 Owls" in page and "Today's speaking challenge" not in page
    assert re.search(r'<a href="/student/pronunciation"[^>]*>Pronunciation</a>', page)
    assert 'aria-current="page">Impromptu' in page
    assert "/student/practice?topic=" in page and unlabelled(page) == []


def test_dashboard_without_class_offers_the_prompt_of_the_day_and_shuffle(app, browser):
    with app.app_context():
        student = make_student()
    login_as(browser.client, student)
    first = browser.get("/student/").get_data(as_text=True)
    assert "Today's speaking challenge" in first and "Join a class" in first
    key = re.search(r"/student/practice\?prompt=([\w-]+)", first).group(1)
    again = browser.get("/student/").get_data(as_text=True)
    assert re.search(r"/student/practice\?prompt=([\w-]+)", again).group(1) == key  # the same prompt all day
    other_key = re.search(r"/student/\?prompt=([\w-]+)", first).group(1)
    assert other_key != key
    shuffled = browser.get(f"/student/?prompt={other_key}").get_data(as_text=True)
    assert f"/student/practice?prompt={other_key}" in shuffled


def test_recent_practice_scores_are_coloured_by_band(app, browser):
    with app.app_context():
        student = make_student()
        for title, score in (("Weak talk", 38), ("Middling talk", 55), ("Strong talk", 91)):
            db.session.add(PracticeSession(student_id=student.id, kind="impromptu", status="done",
                                           prompt_title=title, overall_score=score))
        db.session.commit()
    login_as(browser.client, student)
    page = browser.get("/student/").get_data(as_text=True)
    badges = dict(re.findall(r'<strong>(\w+ talk)</strong>.*?<span class="badge badge-(\w+)">Score', page, re.S))
    assert badges == {"Weak talk": "bad", "Middling talk": "fair", "Strong talk": "good"}


def test_recent_practice_leaves_out_recorder_pages_opened_without_audio(app, browser):
    with app.app_context():
        student = make_student()
        for title, parts in (("Opened and left", 0), ("Recorded, not sent", 2)):
            db.session.add(PracticeSession(student_id=student.id, kind="impromptu", status="in_progress",
                                           prompt_title=title, parts_received=parts))
        db.session.commit()
    login_as(browser.client, student)
    page = browser.get("/student/").get_data(as_text=True)
    assert "Recorded, not sent" in page and "Opened and left" not in page


def test_join_form_still_works_from_the_dashboard(app, browser):
    with app.app_context():
        code, student = make_classroom(name="Drama").join_code, make_student()
    login_as(browser.client, student)
    browser.get("/student/")
    response = browser.post_form("/student/join", {"join_code": code}, follow_redirects=True)
    assert b"You joined Drama" in response.data


def test_practice_page_for_a_topic_has_a_labelled_recorder_and_fallback(app, browser):
    with app.app_context():
        student = make_student()
        topic = Topic(classroom=make_classroom(students=(student,)), title="Pets", prompt="Which pet is best?",
                      prep_seconds=20, speaking_seconds=45)
        db.session.add(topic)
        db.session.commit()
        topic_id = topic.id
    login_as(browser.client, student)
    page = browser.get(f"/student/practice?topic={topic_id}").get_data(as_text=True)
    assert "Which pet is best?" in page and f'"topicId": {topic_id}' in page
    assert '"speakingSeconds": 45' in page and '"prepSeconds": 20' in page
    assert 'type="file"' in page and "Upload a recording instead" in page and 'role="meter"' in page
    assert unlabelled(page) == []


@pytest.mark.parametrize("query", ["topic=999999", "topic=abc"])
def test_practice_page_refuses_topics_that_are_not_mine(app, browser, query):
    with app.app_context():
        student = make_student()
    login_as(browser.client, student)
    assert browser.get(f"/student/practice?{query}").status_code == 404


def test_practice_page_without_topic_uses_a_bank_prompt(app, browser):
    with app.app_context():
        student = make_student()
    login_as(browser.client, student)
    page = browser.get(f"/student/practice?prompt={PROMPTS[3].key}").get_data(as_text=True)
    assert PROMPTS[3].prompt in page and f'"promptKey": "{PROMPTS[3].key}"' in page


def test_report_marks_fillers_pauses_and_quotes_with_seek_times(app, browser, speech_wav):
    with app.app_context():
        student = make_student()
        session_id = _done_session(app, student, audio=speech_wav)
    login_as(browser.client, student)
    page = browser.get(f"/student/sessions/{session_id}").get_data(as_text=True)
    assert re.search(r'class="w w-filler" data-seek="0.5"[^>]*aria-label="um, filler word at 0:00', page)
    assert re.search(r'class="w w-filler" data-seek="6.5"', page)
    assert re.search(r'class="w w-pause" data-seek="3.5"[^>]*>2.5 s pause<', page)
    assert 'class="w w-repetition"' in page
    assert f'<audio id="player-{session_id}" controls' in page and f"/student/sessions/{session_id}/audio" in page
    assert "What went well" in page and "To improve" in page and "Next steps" in page
    assert re.search(r'class="btn btn-small seek" data-seek="[\d.]+" data-player="player-\d+"', page)
    assert "Overall" in page and "Fluency" in page and unlabelled(page) == []


def test_report_shows_curriculum_results_and_teachers_review(app, browser):
    with app.app_context():
        student = make_student()
        teacher = make_teacher(name="Ms Rivera")
        classroom = make_classroom(teacher, students=(student,))
        db.session.add(CurriculumGoal(classroom=classroom, vocabulary=["beach", "ocean"],
                                      grammar_focus=["linking_words"]))
        db.session.commit()
        session_id = _done_session(app, student, classroom)
        session = db.session.get(PracticeSession, session_id)
        session.override_score, session.override_reason = 77, "Great ideas, clearly organised."
        db.session.add(SessionComment(session=session, author=teacher, body="Lovely description of the beach!"))
        db.session.commit()
    login_as(browser.client, student)
    page = browser.get(f"/student/sessions/{session_id}").get_data(as_text=True)
    assert "This week's lesson" in page and "✓ used: beach" in page and "✗ not used: ocean" in page
    assert "Linking words" in page
    assert "From your teacher" in page and "Lovely description of the beach!" in page and "Ms Rivera" in page
    assert "set the overall score to <strong>77</strong>" in page
    # The prose agrees with the score card, and the teacher's word comes before the automatic feedback.
    assert "Your teacher set your overall score to 77 out of 100." in page
    assert "Your overall score is" not in page
    assert page.index("From your teacher") < page.index("What went well")
    detail = browser.get(f"/api/me/sessions/{session_id}").json
    assert detail["teacher_review"]["comments"][0]["body"] == "Lovely description of the beach!"
    assert detail["headline_score"] == 77


def test_audio_plays_back_with_ranges_and_is_gone_after_deletion(app, browser, speech_wav):
    with app.app_context():
        student = make_student()
        session_id = _done_session(app, student, audio=speech_wav)
    login_as(browser.client, student)
    whole = browser.get(f"/student/sessions/{session_id}/audio")
    part = browser.get(f"/student/sessions/{session_id}/audio", headers={"Range": "bytes=0-99"})
    whole_data, part_data = whole.data, part.data
    whole.close(), part.close()  # send_file streams from an open file
    assert whole.status_code == 200 and whole_data == speech_wav and whole.mimetype == "audio/wav"
    assert part.status_code == 206 and len(part_data) == 100
    with app.app_context():
        storage().delete(db.session.get(PracticeSession, session_id).audio_key)
    gone = browser.get(f"/student/sessions/{session_id}/audio")
    assert gone.status_code == 404 and b"no longer kept" in gone.data
    page = browser.get(f"/student/sessions/{session_id}").get_data(as_text=True)
    assert "no longer kept" in page and "What you said" in page


def test_failed_session_page_explains_and_retries(app, browser, queued, speech_wav):
    with app.app_context():
        student = make_student()
    session_id = upload(browser.client, {}, speech_wav, headers=bearer_for(app, student)).json["session_id"]
    with app.app_context():
        from app.practice.analysis_runner import mark_failed

        mark_failed(db.session.get(PracticeSession, session_id), "The speech service was busy. Please try again.")
    login_as(browser.client, student)
    page = browser.get(f"/student/sessions/{session_id}").get_data(as_text=True)
    assert 'role="alert">The speech service was busy' in page and "Try the analysis again" in page
    response = browser.post_form(f"/student/sessions/{session_id}/retry")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/student/sessions/{session_id}")
    progress = html.unescape(browser.get(f"/student/sessions/{session_id}").get_data(as_text=True))
    assert 'id="analysis-status"' in progress and "you're next" in progress
    again = browser.post_form(f"/student/sessions/{session_id}/retry", follow_redirects=True)
    assert b"Only a failed session" in again.data


def test_recording_left_unsent_can_be_sent_from_the_dashboard(app, browser, queued, speech_wav):
    with app.app_context():
        student = make_student()
    login_as(browser.client, student)
    browser.get("/student/")
    started = browser.send_json("POST", "/api/me/sessions", {}).json
    upload(browser.client, {"upload_id": started["upload_id"], "part": 0, "final": 0}, speech_wav, "blob",
           {"X-CSRFToken": browser.csrf_token})
    browser.client.post(f"/api/me/sessions/{started['id']}/abandon", data={"csrf_token": browser.csrf_token})
    page = browser.get("/student/").get_data(as_text=True)
    assert "You left a recording without sending it" in page and "Send what was saved" in page
    response = browser.post_form(f"/student/sessions/{started['id']}/send")
    assert response.status_code == 302
    with app.app_context():
        session = db.session.get(PracticeSession, started["id"])
        assert session.status == "submitted" and stored_bytes(session) == speech_wav
    assert "You left a recording" not in browser.get("/student/").get_data(as_text=True)
