"""Curriculum: target words in any inflection, grammar focus evidence, rubric scoring."""
from __future__ import annotations

from app.analysis import curriculum_check as cc
from app.analysis import grammar
from app.analysis.context import Curriculum, RubricCriterion

SPEECH = (
    "Last week the children walked to the park. My brother went swimming and I ate two ice creams. "
    "If it is sunny, we will go again."
)


def _scores(**values):
    return {k: {"score": values.get(k, 50)} for k in ("fluency", "vocabulary", "grammar", "relevance", "structure")}


def test_target_words_count_inflections(make_transcript):
    rows = cc.target_words(make_transcript(SPEECH), ("walk", "child", "go", "swim", "ice cream", "volcano"))
    by = {r["word"]: r for r in rows}
    assert by["walk"]["forms_heard"] == ["walked"] and by["walk"]["times"] == [1.6]
    assert by["child"]["forms_heard"] == ["children"]
    assert by["go"]["forms_heard"] == ["go", "went"] and by["go"]["count"] == 2
    assert by["swim"]["forms_heard"] == ["swimming"]
    assert by["ice cream"]["used"] is True and by["ice cream"]["count"] == 1
    assert by["volcano"] == {
        "word": "volcano",
        "used": False,
        "count": 0,
        "forms_heard": [],
        "times": [],
        "indices": [],
    }


def test_target_word_given_inflected_matches_base(make_transcript):
    rows = cc.target_words(make_transcript("One child came."), ("children",))
    assert rows[0]["used"] is True


def test_grammar_focus_quotes_evidence(make_transcript):
    ev = grammar.structure_evidence(make_transcript(SPEECH))
    focus = cc.grammar_focus(ev, ("past_simple", "passive_voice", "conditionals"))
    assert [(f["key"], f["used"]) for f in focus] == [
        ("past_simple", True),
        ("passive_voice", False),
        ("conditionals", True),
    ]
    assert "the children walked" in focus[0]["examples"][0]["quote"]
    assert focus[0]["examples"][0]["start"] == 1.6


def test_unknown_focus_key_is_honest():
    row = cc.grammar_focus({}, ("reported_speech",))[0]
    assert row["used"] is False and "cannot be checked" in row["note"]


def test_rubric_maps_keywords_to_scores():
    rubric = (
        RubricCriterion("Fluency", "Speaks smoothly without long pauses", 40),
        RubricCriterion("Eye contact", "Looks at the audience", 20),
        RubricCriterion("Ideas and organisation", "Relevant ideas in a clear structure", 40),
    )
    result = cc.score_rubric(rubric, _scores(fluency=80, relevance=60, structure=100), [], [])
    rows = {r["name"]: r for r in result["criteria"]}
    assert rows["Fluency"]["score"] == 80 and rows["Fluency"]["skills"] == ["fluency"]
    assert rows["Eye contact"]["measurable"] is False and rows["Eye contact"]["score"] is None
    assert "Not measurable from audio: eye contact" in rows["Eye contact"]["note"]
    assert rows["Ideas and organisation"]["score"] == 80  # mean of relevance 60 and structure 100
    assert result["score"] == 80  # (80*40 + 80*40) / 80: the unmeasurable weight is left out
    assert result["measured_weight"] == 80


def test_rubric_target_vocabulary_and_unlinkable():
    targets = [{"used": True}, {"used": False}, {"used": True}, {"used": True}]
    rubric = (
        RubricCriterion("Target words", "Uses the unit's target words", 50),
        RubricCriterion("Creativity", "Surprises the listener", 50),
    )
    result = cc.score_rubric(rubric, _scores(), targets, [])
    assert result["criteria"][0]["score"] == 75
    assert result["criteria"][0]["evidence"] == ["3 of 4 target words used"]
    assert result["criteria"][1]["measurable"] is False
    assert result["score"] == 75


def test_check_curriculum_empty_is_none(make_transcript):
    assert cc.check_curriculum(make_transcript(SPEECH), Curriculum(), {}, _scores()) is None


def test_check_curriculum_totals(make_transcript):
    t = make_transcript(SPEECH)
    c = Curriculum(grammar_focus=("past_simple",), vocabulary=("walk", "volcano"))
    out = cc.check_curriculum(t, c, grammar.structure_evidence(t), _scores())
    assert (out["target_words_used"], out["target_words_total"]) == (1, 2)
    assert out["rubric"] is None
    assert out["grammar_focus"][0]["used"] is True
