"""Reading-fluency figures from word marks, the teacher's recompute, and the disfluency rule (pure)."""
from __future__ import annotations

import copy

import pytest

from app.analysis.engines.base import PronunciationResult, WordAssessment, pron_score
from app.analysis.engines.disfluency import attempt_at, disfluency_marks
from app.analysis.engines.reading_figures import accuracy_rate, reading_span, words_correct_per_minute
from app.analysis.engines.reading_review import recompute


def word(text, offset, duration=0.4, error="None", accuracy=90.0, marks=()):
    return WordAssessment(text, offset, duration, accuracy, error, marks=tuple(marks))


def reading(*words, fluency=80.0, prosody=70.0) -> dict:
    said = [w for w in words if w.error_type not in ("Insertion", "Omission")]
    reference = [w for w in words if w.error_type != "Insertion"]
    accuracy = sum(w.accuracy for w in said) / len(said)
    completeness = 100.0 * len(said) / len(reference)
    return PronunciationResult(accuracy, fluency, completeness, prosody,
                               pron_score(accuracy, fluency, completeness, prosody), tuple(words),
                               "", "", "test").to_json()


# "The cat sat on the mat", read in 3 s from 0.5 s: "cat" said twice, "sat" misread, "mat" left out.
CAT = reading(
    word("the", 0.5), word("cat", 1.0), word("cat", 1.5, error="Insertion", accuracy=0.0, marks=["Repetition"]),
    word("sat", 2.0, error="Mispronunciation", accuracy=40.0), word("on", 2.5), word("the", 3.0, duration=0.5),
    word("mat", 3.5, duration=0.0, error="Omission", accuracy=0.0),
)


def test_accuracy_rate_counts_passage_words_read_correctly():
    # 4 of 6 passage words correct; the repeated "cat" is neither a passage word nor an error.
    assert CAT["AccuracyRate"] == pytest.approx(66.7)
    assert accuracy_rate(CAT["Words"]) == pytest.approx(400 / 6)


def test_wcpm_times_from_the_first_to_the_last_spoken_word():
    assert reading_span(CAT["Words"]) == pytest.approx((0.5, 3.5))  # the omitted "mat" has no time
    assert CAT["ReadingSeconds"] == 3.0
    assert CAT["WordsCorrectPerMinute"] == pytest.approx(4 * 60 / 3.0)


def test_pauses_inside_the_reading_count_as_reading_time():
    slow = [dict(w) for w in CAT["Words"]]
    for w in slow[3:]:
        w["Offset"] += 2.0  # a 2 s pause after "cat cat"
    assert words_correct_per_minute(slow) == pytest.approx(4 * 60 / 5.0)


def test_a_reading_over_a_minute_counts_the_words_correct_begun_in_the_first_minute():
    long_read = [{"Word": f"w{i}", "Offset": 1.0 + i, "Duration": 0.5, "ErrorType": "None"} for i in range(90)]
    assert words_correct_per_minute(long_read) == 60.0
    long_read[10]["ErrorType"] = "Mispronunciation"
    assert words_correct_per_minute(long_read) == 59.0


def test_nothing_said_is_zero_not_a_division_error():
    words = [{"Word": "cat", "Offset": 0, "Duration": 0, "ErrorType": "Omission"}]
    assert (accuracy_rate(words), words_correct_per_minute(words), reading_span(words)) == (0.0, 0.0, (0.0, 0.0))


def test_json_words_carry_marks():
    assert [w["Marks"] for w in CAT["Words"]][:3] == [[], [], ["Repetition"]]


def test_recompute_without_overrides_gives_the_machine_result_back():
    assert recompute(CAT, {}) == CAT


def test_rejecting_a_mispronunciation_recomputes_rate_and_keeps_the_original():
    before = copy.deepcopy(CAT)
    out = recompute(CAT, {3: "None"})
    assert CAT == before  # the input is not changed
    assert out["AccuracyRate"] == pytest.approx(83.3)
    assert out["WordsCorrectPerMinute"] == pytest.approx(5 * 60 / 3.0)
    sat = out["Words"][3]
    assert (sat["ErrorType"], sat["MachineErrorType"], sat["AccuracyScore"]) == ("None", "Mispronunciation", 40.0)
    assert out["MachineScores"]["AccuracyRate"] == pytest.approx(66.7)
    assert "MachineErrorType" not in out["Words"][0]


def test_an_omission_rejected_raises_completeness_but_not_the_pronunciation_mean():
    out = recompute(CAT, {6: "None"})
    assert out["CompletenessScore"] == 100.0 and CAT["CompletenessScore"] == pytest.approx(83.3)
    assert out["AccuracyScore"] == CAT["AccuracyScore"]  # the machine heard no "mat" to score
    assert out["PronScore"] == pytest.approx(
        round(pron_score(out["AccuracyScore"], out["FluencyScore"], 100.0, out["ProsodyScore"]), 1))


def test_marking_a_missed_omission_lowers_accuracy_and_completeness():
    out = recompute(CAT, {4: "Omission"})
    assert out["AccuracyRate"] == pytest.approx(50.0)
    assert out["CompletenessScore"] == pytest.approx(66.7)
    assert out["AccuracyScore"] == pytest.approx((90 + 90 + 40 + 90) / 4)  # "on" no longer in the mean


def test_review_always_starts_from_the_machine_marks():
    once = recompute(CAT, {3: "None"})
    again = recompute(once, {4: "Omission"})  # the new review replaces the first one
    assert again["Words"][3]["ErrorType"] == "Mispronunciation" and "MachineErrorType" not in again["Words"][3]
    assert again == recompute(CAT, {4: "Omission"})
    assert recompute(once, {}) == CAT  # undoing every change gives the machine's result


def test_extra_words_take_marks_and_change_no_figure():
    out = recompute(CAT, {"2": "Insertion"})  # JSON keys are strings
    assert out["Words"][2]["Marks"] == [] and out["Words"][2]["MachineMarks"] == ["Repetition"]
    assert out["Words"][2]["ErrorType"] == "Insertion"
    assert {k: out[k] for k in ("AccuracyRate", "WordsCorrectPerMinute")} == {
        k: CAT[k] for k in ("AccuracyRate", "WordsCorrectPerMinute")}


@pytest.mark.parametrize("overrides", [{2: "None"}, {3: "Repetition"}, {9: "None"}, {-1: "None"}, {0: "Great"}])
def test_a_mark_that_does_not_fit_the_word_is_refused(overrides):
    with pytest.raises(ValueError):
        recompute(CAT, overrides)


def kinds_of(spoken: str):
    """'the cat +cat sat -on' -> texts and kinds: + extra word, - omitted, ! misread."""
    kind = {"+": "Insertion", "-": "Omission", "!": "Mispronunciation"}
    texts = [t.lstrip("+-!") for t in spoken.split()]
    return texts, [kind.get(t[0], "None") for t in spoken.split()]


@pytest.mark.parametrize("spoken,marks", [
    ("the cat +cat sat", {2: "Repetition"}),
    ("the +the cat sat", {1: "Repetition"}),
    ("the cat +the +cat sat", {2: "Repetition", 3: "Repetition"}),
    ("the +cat +the cat sat", {1: "Repetition", 2: "Repetition"}),  # the same phrase, aligned the other way
    ("the cat +cat +cat sat", {2: "Repetition", 3: "Repetition"}),
    ("the cat -sat +cat on", {3: "Repetition"}),  # nothing said between the two "cat"s
    ("the +cap cat sat", {1: "SelfCorrection"}),
    ("the +ca cat sat", {1: "SelfCorrection"}),
    ("the +c +cap cat sat", {1: "SelfCorrection", 2: "SelfCorrection"}),
    ("the +big +cap cat sat", {2: "SelfCorrection"}),  # "big" is an insertion
    ("the +big cat sat", {}),
    ("the +cap !cat sat", {}),  # never read right: not a self-correction
    ("the cat sat +cat", {}),
    ("the cat sat +dog", {}),
])
def test_disfluency_rule(spoken, marks):
    assert disfluency_marks(*kinds_of(spoken)) == marks


def test_attempt_at():
    assert attempt_at("cap", "cat") and attempt_at("Ca", "cat") and attempt_at("held", "had")
    assert not attempt_at("cat", "cat") and not attempt_at("dog", "cat") and not attempt_at("", "cat")
