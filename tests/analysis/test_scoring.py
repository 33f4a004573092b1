"""Scores: documented curves, monotone in their inputs, never high for near-empty speech."""
from __future__ import annotations

import pytest

from app.analysis import scoring
from app.analysis.context import SpeakingTask
from app.analysis.report import analyse_transcript

TASK = SpeakingTask("My holiday", "Talk about your best holiday.", 60)
GOOD = (
    "Last summer I went on holiday to the seaside with my family. First, we visited an old castle "
    "because my brother loves history. Then we swam in the sea and built an enormous sandcastle. "
    "The weather was hotter than at home, so we ate ice cream every day. I have never seen such "
    "beautiful beaches. If I can, I will go there again next year. Finally, I think holidays are "
    "important because families can relax together."
)


def test_interp_curve():
    curve = ((0, 0), (10, 100))
    assert scoring.interp(-5, curve) == 0 and scoring.interp(5, curve) == 50 and scoring.interp(50, curve) == 100
    assert scoring.interp(140, scoring.PACE_CURVE) == 100
    assert scoring.interp(90, scoring.PACE_CURVE) == pytest.approx(56.0)  # 0 + 70 * 40/50


def test_expected_words_bounds():
    assert scoring.expected_words(60) == 45
    assert scoring.expected_words(10) == 20
    assert scoring.expected_words(600) == 60


def _metrics(**over):
    m = {
        "word_count": 100,
        "speech_span": 50.0,
        "words_per_minute": 130.0,
        "fillers_per_100_words": 1.0,
        "long_pause_count": 0,
        "repetition_count": 0,
        "restart_count": 0,
        "mtld": 60.0,
        "less_common_share": 0.15,
        "distinct_linking_words": 4,
        "mean_sentence_length": 10.0,
        "sentence_count": 6,
    }
    return {**m, **over}


GRAMMAR = {
    "structures": {
        k: {"count": 1} for k in ("past_simple", "present_perfect", "conditionals", "comparatives", "future_forms")
    },
    "errors": [],
}
REL = {"score": 1.0, "coverage": 1.0, "focus": 0.3, "opening_on_topic": True}


def test_best_case_is_100_and_overall_is_weighted_mean():
    s = scoring.compute_scores(_metrics(), GRAMMAR, REL, 60)
    assert all(s[k]["score"] == 100 for k in scoring.WEIGHTS)
    assert s["overall"]["score"] == 100
    s = scoring.compute_scores(_metrics(fillers_per_100_words=10.0), GRAMMAR, REL, 60)
    assert s["fluency"]["score"] == 70  # fillers part 0, weight 0.30
    assert s["overall"]["score"] == round(sum(scoring.WEIGHTS[k] * s[k]["score"] for k in scoring.WEIGHTS))


@pytest.mark.parametrize(
    "key,values,score",
    [
        ("fillers_per_100_words", [0, 3, 6, 12], "fluency"),
        ("long_pause_count", [0, 2, 4, 8], "fluency"),
        ("repetition_count", [0, 2, 5, 10], "fluency"),
        ("mtld", [70, 45, 25, 10], "vocabulary"),
        ("distinct_linking_words", [4, 2, 1, 0], "structure"),
    ],
)
def test_scores_move_the_right_way(key, values, score):
    results = [scoring.compute_scores(_metrics(**{key: v}), GRAMMAR, REL, 60)[score]["score"] for v in values]
    assert results == sorted(results, reverse=True) and results[0] > results[-1]


def test_errors_lower_grammar():
    err = {**GRAMMAR, "errors": [{}] * 4}
    assert (
        scoring.compute_scores(_metrics(), err, REL, 60)["grammar"]["score"]
        < scoring.compute_scores(_metrics(), GRAMMAR, REL, 60)["grammar"]["score"]
    )


def test_each_score_carries_its_inputs():
    s = scoring.compute_scores(_metrics(words_per_minute=90.0), GRAMMAR, REL, 60)
    assert s["fluency"]["inputs"]["words_per_minute"] == 90.0
    assert s["fluency"]["parts"]["pace"] == 56
    assert s["grammar"]["inputs"]["structures_used"] == list(GRAMMAR["structures"])


def test_real_speech_scores_well_and_near_empty_never_high(make_transcript):
    good = analyse_transcript(make_transcript(GOOD), TASK)["scores"]
    assert good["overall"]["score"] >= 70
    tiny = analyse_transcript(make_transcript("My holiday was good."), TASK)["scores"]
    assert tiny["overall"]["amount"] == pytest.approx(4 / 45, abs=1e-3)
    assert all(tiny[k]["score"] <= 10 for k in tiny)
    silent = analyse_transcript(make_transcript([], duration=10.0), TASK)["scores"]
    assert all(silent[k]["score"] == 0 for k in silent)


def test_without_a_topic_relevance_is_left_out_of_overall(make_transcript):
    """No prompt and no title: relevance cannot be judged, so it neither counts as zero nor as full marks."""
    from app.analysis.context import SpeakingTask
    from app.analysis.report import analyse_transcript

    text = ("I like football because it is fun and I play with my friends every weekend in the park near "
            "my house and we always have a great time together")
    transcript = make_transcript(text)
    with_topic = analyse_transcript(transcript, SpeakingTask("Sport", "Talk about a sport you enjoy", 30))
    without = analyse_transcript(transcript, SpeakingTask("", "", 30))
    assert without["scores"]["relevance"]["applicable"] is False
    assert with_topic["scores"]["relevance"]["applicable"] is True
    assert "relevance" not in without["scores"]["overall"]["parts"]
    parts, weights = without["scores"]["overall"]["parts"], without["scores"]["overall"]["inputs"]["weights"]
    expected = sum(weights[k] * parts[k] for k in weights) / sum(weights.values())
    assert without["scores"]["overall"]["score"] == round(expected)
    assert "opening" not in without["scores"]["structure"]["parts"]
