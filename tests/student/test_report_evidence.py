"""The report page's transcript: the recogniser's punctuation and sentences, unsure words shown lightly and said so."""
import copy
import re

from app.analysis.engines.base import Transcript, Word
from app.analysis.engines.local.transcription import clean_word
from app.analysis.evidence import SURE_CONFIDENCE, UNSURE_LABEL
from app.analysis.feedback.writers import get_writer
from app.analysis.report import build_report
from app.extensions import db
from app.models import PracticeSession
from app.practice.analysis_runner import speaking_task_for, store_report

from ..conftest import login_as
from ..factories import make_classroom, make_student, make_teacher

SPOKEN = "On Saturday we went to the beach. Um, the water was cold, but we swam anyway!"
UNSURE_WORD = "cold"


def _session(app, student, report_change=None) -> int:
    """A finished session whose report the real builder made from *SPOKEN*, "cold" heard unsurely."""
    words, t = [], 0.0
    for token in SPOKEN.split():
        confidence = SURE_CONFIDENCE / 2 if clean_word(token) == UNSURE_WORD else 0.96
        words.append(Word(clean_word(token), round(t, 2), round(t + 0.3, 2), confidence, token))
        t += 0.4
    session = PracticeSession(student=student, prompt_title="The beach", prompt_text="Talk about the beach.",
                              status="scoring", planned_seconds=30)  # a run about to store its report
    db.session.add(session)
    db.session.flush()
    report = build_report(Transcript(SPOKEN, tuple(words), t + 0.5, "test"), speaking_task_for(session),
                          get_writer(app.config))
    if report_change:
        report_change(report)
    store_report(session, report)
    db.session.commit()
    return session.id


def _transcript_html(page: str) -> str:
    return page[page.index('class="transcript"'):page.index("</p>", page.index('class="transcript"'))]


def test_transcript_shows_sentences_punctuation_and_marks_the_unsure_word(app, browser):
    with app.app_context():
        student = make_student()
        session_id = _session(app, student)
    login_as(browser.client, student)
    page = browser.get(f"/student/sessions/{session_id}").get_data(as_text=True)
    transcript = _transcript_html(page)
    sentences = re.findall(r'<span class="sentence">(.*?)</span>\s*(?=<span class="sentence">|$)', transcript, re.S)
    assert len(sentences) == 2
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", s)).strip() for s in sentences]
    assert text[0] == "On Saturday we went to the beach."
    assert text[1].startswith("Um, the water was cold") and text[1].endswith("but we swam anyway!")
    assert re.search(rf'class="w w-unsure" data-seek="[\d.]+" data-end="[\d.]+" title="{UNSURE_LABEL.capitalize()}">'
                     rf'cold,<span class="visually-hidden"> \({UNSURE_LABEL}\)</span></span>', transcript)
    assert transcript.count("w-unsure") == 1
    assert f"{UNSURE_LABEL}, so the feedback leaves it out" in page  # the legend, shown when a word is unsure
    feedback = page[page.index("What went well"):page.index("What you said")]
    assert "cold" not in feedback


def test_an_unsure_filler_says_so_in_its_label(app, browser):
    def unsure_um(report):
        next(row for row in report["words"] if row["word"] == "Um")["is_unsure"] = True

    with app.app_context():
        student = make_student()
        session_id = _session(app, student, unsure_um)
    login_as(browser.client, student)
    page = browser.get(f"/student/sessions/{session_id}").get_data(as_text=True)
    assert re.search(rf'class="w w-filler w-unsure"[^>]*title="{UNSURE_LABEL.capitalize()}"\s*'
                     rf'aria-label="Um, filler word, {UNSURE_LABEL} at 0:02. Play from here.">Um,</button>', page)


def test_the_teacher_sees_the_same_marks(app, browser):
    with app.app_context():
        teacher, student = make_teacher(), make_student()
        classroom = make_classroom(teacher, students=(student,))
        session_id = _session(app, student)
        db.session.get(PracticeSession, session_id).classroom = classroom
        db.session.commit()
        classroom_id = classroom.id
    login_as(browser.client, teacher)
    page = browser.get(f"/teacher/classes/{classroom_id}/sessions/{session_id}").get_data(as_text=True)
    assert 'class="w w-unsure"' in _transcript_html(page) and "beach." in _transcript_html(page)


def test_a_report_saved_before_written_forms_still_renders(app, browser):
    def as_saved_before(report):
        for row in report["words"]:
            for key in ("display", "sentence", "is_unsure"):
                del row[key]

    with app.app_context():
        student = make_student()
        session_id = _session(app, student, as_saved_before)
        old = copy.deepcopy(db.session.get(PracticeSession, session_id).report)
    assert "display" not in old["words"][0]
    login_as(browser.client, student)
    response = browser.get(f"/student/sessions/{session_id}")
    transcript = _transcript_html(response.get_data(as_text=True))
    assert response.status_code == 200
    assert transcript.count('<span class="sentence">') == 1 and "w-unsure" not in transcript
    assert ">beach</span>" in transcript and ">cold</span>" in transcript  # the bare words, as before
