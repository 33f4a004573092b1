"""LocalWriter: deterministic, kind, and every point tied to the student's own words and time."""
from __future__ import annotations

import pytest

from app.analysis.context import Curriculum, RubricCriterion, SpeakingTask
from app.analysis.feedback import InvalidFeedback, validate_feedback
from app.analysis.feedback.local import LocalWriter, mmss
from app.analysis.feedback.writers import get_writer
from app.analysis.report import analyse_transcript
from tests.factories import app_config

TASK = SpeakingTask(
    "My best holiday",
    "Talk about your best holiday.",
    60,
    Curriculum(
        grammar_focus=("past_simple", "present_perfect"),
        vocabulary=("beach", "swim", "souvenir"),
        rubric=(RubricCriterion("Fluency", "Speaks smoothly", 50), RubricCriterion("Eye contact", "Looks up", 50)),
    ),
)
SPEECH = (
    "Um, last summer I went to the beach. Um, we swam in the sea and, um, it was fun. "
    "He go there every year. Um, the holiday was great because the weather was hot. "
    "I have never seen such a beautiful place. Um, I bought a souvenir for my mum."
)


@pytest.fixture
def analysis(make_transcript):
    spec = [(w, round(i * 0.4, 2), round(i * 0.4 + 0.35, 2)) for i, w in enumerate(SPEECH.split())]
    # a 2.5 s silence before "He" (word 19)
    spec = [(w, s + (2.5 if i >= 19 else 0), e + (2.5 if i >= 19 else 0)) for i, (w, s, e) in enumerate(spec)]
    return analyse_transcript(make_transcript(spec), TASK)


def test_mmss():
    assert mmss(0) == "0:00" and mmss(7.4) == "0:07" and mmss(75.6) == "1:16" and mmss(None) == "0:00"


def test_deterministic_and_valid(analysis):
    a, b = LocalWriter().write(analysis), LocalWriter().write(analysis)
    assert a == b and a.writer == "local"
    assert validate_feedback(a.feedback) == a.feedback
    assert 2 <= len(a.feedback["strengths"]) <= 3
    assert 2 <= len(a.feedback["improvements"]) <= 3
    assert 2 <= len(a.feedback["next_steps"]) <= 3


def test_points_quote_the_students_words_with_times(analysis):
    fb = LocalWriter().write(analysis).feedback
    spoken = " ".join(w["word"] for w in analysis["words"]).lower()
    for p in fb["strengths"] + fb["improvements"]:
        assert p["start"] is not None and p["quote"]
        assert p["quote"].lower().strip(".,!?").replace(",", "").split()[0] in spoken


def test_improvements_name_fillers_pause_and_error(analysis):
    texts = " ".join(p["text"] for p in LocalWriter().write(analysis).feedback["improvements"])
    assert 'filler words 5 times, like "um" at 0:00' in texts
    assert 'At 0:10 you said "He go there every year". We say "he goes".' in texts
    assert (
        "You stopped for 2.5" in texts or "You stopped for 2.6" in texts
    )  # 2.5 s added to a 0.05 s gap; fun ends at 7.55 s
    assert 'after "fun" at 0:08' in texts


def test_summary_and_curriculum_remarks(analysis):
    fb = LocalWriter().write(analysis).feedback
    assert fb["summary"].startswith("You spoke for")
    assert f"Your overall score is {analysis['scores']['overall']['score']} out of 100" in fb["summary"]
    remarks = " ".join(fb["curriculum"])
    assert "You used 3 of 3 target words" in remarks
    assert "Present perfect: heard 1 time," in remarks and "Past simple: heard 6 times," in remarks
    assert "Eye contact: your teacher will assess this" in remarks


def test_near_empty_speech_still_gets_kind_valid_feedback(make_transcript):
    a = analyse_transcript(make_transcript("Hello."), SpeakingTask("Pets", "Talk about pets.", 60))
    fb = LocalWriter().write(a).feedback
    assert "Your speech was short: 1 words" in fb["improvements"][0]["text"]
    assert fb["strengths"] and fb["next_steps"]


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        {"summary": ""},
        {"summary": "ok", "strengths": [], "improvements": ["x"], "next_steps": ["y"]},
        {"summary": "ok", "strengths": ["a"], "improvements": ["x"], "next_steps": [3]},
        {"summary": "ok", "strengths": [{"text": "a", "start": -1}], "improvements": ["x"], "next_steps": ["y"]},
        {"summary": "ok", "strengths": ["a"] * 6, "improvements": ["x"], "next_steps": ["y"]},
    ],
)
def test_validate_feedback_rejects_bad_shapes(bad):
    with pytest.raises(InvalidFeedback):
        validate_feedback(bad)


def test_validate_feedback_normalises_bare_strings():
    out = validate_feedback(
        {"summary": " Hi ", "strengths": ["Good"], "improvements": [{"text": "More"}], "next_steps": ["Practise"]}
    )
    assert out == {
        "summary": "Hi",
        "strengths": [{"text": "Good", "quote": None, "start": None}],
        "improvements": [{"text": "More", "quote": None, "start": None}],
        "next_steps": ["Practise"],
        "curriculum": [],
    }


def test_get_writer_picks_by_config():
    from app.analysis.feedback.openai_writer import OpenAIWriter

    assert isinstance(get_writer(app_config()), LocalWriter)
    assert isinstance(get_writer(app_config(OPENAI_API_KEY="")), LocalWriter)
    w = get_writer(app_config(OPENAI_API_KEY="k", OPENAI_BASE_URL="http://127.0.0.1:9/v1", OPENAI_MODEL="m",
                              OPENAI_TIMEOUT_SECONDS=3))
    assert isinstance(w, OpenAIWriter) and (w.settings.base_url, w.settings.model, w.settings.timeout, w.name) == (
        "http://127.0.0.1:9/v1",
        "m",
        3.0,
        "openai:m",
    )


def test_general_points_quote_different_sentences(make_transcript):
    """A short, slow, off-topic speech: each point shows its own sentence, the slow one the slowest."""
    sentences = [("I like my dog.", 0.6), ("He is very big and brown.", 1.3), ("We walk in the park.", 0.6),
                 ("It is fun.", 0.6)]
    spec, t = [], 0.0
    for sentence, gap in sentences:
        for word in sentence.split():
            spec.append((word, round(t, 2), round(t + 0.35, 2)))
            t += gap
        t += 0.5
    a = analyse_transcript(make_transcript(spec), SpeakingTask("My best holiday", "Talk about your best holiday.", 60))
    fb = LocalWriter().write(a).feedback
    points = {p["text"].split()[1]: p for p in fb["improvements"]}  # "speech", "spoke", "to", ...
    assert set(points) >= {"speech", "spoke"}  # "Your speech was short", "You spoke quite slowly"
    assert points["spoke"]["quote"] == "He is very big and brown." and points["spoke"]["start"] == 2.9
    quotes = [p["quote"] for p in fb["strengths"] + fb["improvements"]]
    assert len(quotes) == len(set(quotes)) == 4


def test_with_fewer_sentences_than_points_quotes_are_shared_out(make_transcript):
    """Two sentences, three improvements: they do not all quote the same sentence."""
    spec, t = [], 0.0
    for sentence in ("I would like to visit Japan because I like the food.", "I think it is fun."):
        for word in sentence.split():
            spec.append((word, round(t, 2), round(t + 0.35, 2)))
            t += 0.8
        t += 0.5
    a = analyse_transcript(make_transcript(spec), SpeakingTask("Japan", "Talk about a place you would visit.", 60))
    improvements = LocalWriter().write(a).feedback["improvements"]
    assert len(improvements) == 3
    assert len({p["quote"] for p in improvements}) == 2
