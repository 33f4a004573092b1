"""Nothing identifying leaves the server (issue 17 item 5): a transcript full of names goes through both
OpenAI payload builders (the speech feedback writer's and the class narrator's) and no name comes out."""
from __future__ import annotations

import json

from app.analysis.context import SpeakingTask
from app.analysis.feedback.prompts import build_payload
from app.analysis.redaction import Redactor
from app.analysis.report import analyse_transcript
from app.analytics.narrative_openai import prompt_payload

ROSTER = ("Amira Kowalski", "Priya Natarajan", "Oliver Zbigniew")
SPOKEN = ("My name is Amira Kowalski. My best friend is Priya and her brother Tomasz is funny. "
          "Amira and Priya went swimming with Oliver Zbigniew and Mrs Okonkwo at the weekend. "
          "Then kowalski natarajan zbigniew okonkwo said we was brilliant and magnificent.")
NAMES = ("amira", "kowalski", "priya", "natarajan", "oliver", "zbigniew", "tomasz", "okonkwo")


def _said(payload) -> str:
    return json.dumps(payload).lower()


def test_the_feedback_payload_holds_no_name(make_transcript):
    transcript = make_transcript(SPOKEN.replace(".", " .").replace(" .", "."), text=SPOKEN)
    analysis = analyse_transcript(transcript, SpeakingTask("My weekend", "Talk about your weekend.", 60))
    raw = _said(analysis["details"]["less_common_examples"]) + _said(analysis["grammar"]["errors"])
    assert any(name in raw for name in NAMES)  # the analysis itself is full of them
    sent = _said(build_payload(analysis, ROSTER))
    assert [name for name in NAMES if name in sent] == []
    # The rarest words said were all names: none is left to quote, and the figures are all still there.
    payload = build_payload(analysis, ROSTER)
    assert payload["interesting_words"] == [] and payload["metrics"] == build_payload(analysis)["metrics"]


def test_the_class_narrator_payload_holds_no_name():
    quote = {"text": "Amira said kowalski is magnificent, then Priya Natarajan laughed", "start": 1.0}
    summary = {
        "period": {"label": "This week"},
        "participation": {"enrolled": 3, "practised": 2, "sessions": 4, "talks": 4, "readings": 0,
                          "sessions_per_student": 2.0, "minutes_spoken": 6.0,
                          "not_practised": [{"id": 3, "name": "Oliver Zbigniew"}]},
        "delivery": {"pace": {"note": "Amira Kowalski spoke fastest"}},
        "scores": {},
        "language": {"lexical_diversity": None, "vocabulary_level": None, "grammar_focus": [], "rubric": [],
                     "curriculum_words": {"used": [], "never_used": [], "coverage": None}},
        "pronunciation": {k: None for k in ("readings", "accuracy", "fluency", "prosody", "words", "sounds")},
        "strengths": [{"key": "pace", "label": "Pace", "score": 70, "detail": "Priya led", "quote": quote}],
        "weaknesses": [],
        "attention": [{"id": 1, "name": "Amira Kowalski", "reasons": [{"code": "falling"}]},
                      {"id": 2, "name": "Priya Natarajan", "reasons": [{"code": "low_score"}]}],
        "tutorials": [],
    }
    sent = _said(prompt_payload(summary))
    assert [name for name in NAMES if name in sent and name != "tomasz"] == []
    assert "magnificent" in sent and "[name]" in sent


def test_word_lists_keep_only_dictionary_words_that_are_not_names():
    redactor = Redactor(["Amira Kowalski"], "Yesterday I saw Tomasz at the park.")
    words = [{"word": w} for w in ("amira", "tomasz", "zbigniew", "magnificent", "kowalski", "park")]
    kept = redactor.payload({"interesting_words": words})["interesting_words"]
    assert [w["word"] for w in kept] == ["magnificent", "park"]
    assert redactor.payload({"label": "Linking words", "quote": "Then Tomasz ran"}) == {
        "label": "Linking words", "quote": "Then [name] ran"}


def test_the_runner_names_the_speaker_and_their_classmates_only(app_ctx):
    from app.practice.analysis_runner import roster_names, speaking_task_for

    from ..factories import make_classroom, make_session, make_student

    amira, priya, stranger = (make_student(name=n) for n in ("Amira Kowalski", "Priya Natarajan", "Zed Stone"))
    make_classroom(None, "7K", students=(amira, priya))
    make_classroom(None, "Elsewhere", students=(stranger,))
    session = make_session(amira, status="submitted", score=None)
    assert roster_names(session) == ("Amira Kowalski", "Priya Natarajan")
    assert speaking_task_for(session).private_names == ("Amira Kowalski", "Priya Natarajan")
