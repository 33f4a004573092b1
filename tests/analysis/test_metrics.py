"""Delivery metrics against hand-checked numbers on transcripts with exact timings."""
from __future__ import annotations

import pytest

from app.analysis import metrics


@pytest.fixture
def three_words(make_transcript):
    # gaps: my->friends 1.2 s (a long pause); Hello->my 0.1 s (not a pause)
    return make_transcript([("Hello", 0.0, 0.5), ("my", 0.6, 0.8), ("friends.", 2.0, 2.5)], duration=3.0)


def test_timing_hand_checked(three_words):
    t = metrics.timing(three_words)
    assert t["duration"] == 3.0
    assert t["speech_span"] == 2.5
    assert t["speaking_time"] == pytest.approx(1.3)  # 2.5 - 1.2 s pause
    assert t["word_count"] == 3
    assert t["words_per_minute"] == pytest.approx(72.0)  # 3 words / 2.5 s
    assert t["syllable_count"] == 4  # hel-lo, my, friends
    assert t["articulation_rate"] == pytest.approx(4 / 1.3, abs=0.01)


def test_pauses_list_and_stats(three_words):
    assert metrics.pauses(three_words) == [
        {"start": 0.8, "end": 2.0, "length": 1.2, "after": "my", "before": "friends.", "after_sure": True}
    ]
    assert metrics.pause_stats(three_words) == {
        "pause_count": 1,
        "mean_pause": 1.2,
        "longest_pause": 1.2,
        "long_pause_count": 1,
    }


def test_pause_threshold_and_long_pause_boundary(make_transcript):
    t = make_transcript([("a", 0.0, 0.2), ("b", 0.7, 0.9), ("c", 1.39, 1.5), ("d", 2.5, 2.6), ("e", 3.7, 3.8)])
    lengths = [p["length"] for p in metrics.pauses(t)]
    assert lengths == [0.5, 1.0, 1.1]  # 0.49 s is ordinary articulation
    stats = metrics.pause_stats(t)
    assert stats["long_pause_count"] == 1  # exactly 1.0 s is not "over 1 s"
    assert stats["mean_pause"] == pytest.approx(0.87)


def test_empty_transcript_gives_zeros(make_transcript):
    t = make_transcript([], duration=4.0)
    assert metrics.timing(t)["words_per_minute"] == 0.0
    assert metrics.timing(t)["articulation_rate"] == 0.0
    assert metrics.pause_stats(t)["pause_count"] == 0
    assert metrics.filler_stats(t)["fillers_per_100_words"] == 0.0


def test_filler_sounds_do_not_count_as_words(make_transcript):
    t = make_transcript("um I went uh home")
    assert metrics.timing(t)["word_count"] == 3
    # spans 0.0-1.95 s; 5 words incl. fillers
    stats = metrics.filler_stats(t)
    assert stats["filler_count"] == 2
    assert stats["fillers_per_100_words"] == 40.0
    assert stats["fillers_per_minute"] == pytest.approx(2 / 1.95 * 60, abs=0.01)
    assert stats["filler_types"] == {"um": 1, "uh": 1}
    assert [(f["text"], f["start"]) for f in stats["fillers"]] == [("um", 0.0), ("uh", 1.2)]


@pytest.mark.parametrize("word,expected", [("beautiful", 3), ("cat", 1), ("hello", 2), ("everything", 3)])
def test_syllables_from_dictionary(word, expected):
    assert metrics.syllables(word) == expected


@pytest.mark.parametrize("word,expected", [("zorbleflax", 3), ("make", 1), ("table", 2), ("x", 1)])
def test_syllable_estimate_for_unknown_words(word, expected):
    assert metrics.estimate_syllables(word) == expected


def test_vowel_sound_from_dictionary():
    assert metrics.starts_with_vowel_sound("hour") is True
    assert metrics.starts_with_vowel_sound("uniform") is False
    assert metrics.starts_with_vowel_sound("qqqzzz") is None


def _likes(make_transcript, sentence: str) -> list[bool]:
    t = make_transcript(sentence)
    fillers = {f["index"] for f in metrics.filler_items(t) if f["text"] == "like"}
    return [i in fillers for i, w in enumerate(t.words) if w.text.strip(",.?!").lower() == "like"]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("I like dogs.", [False]),
        ("I really like dogs.", [False]),
        ("I would like a pizza.", [False]),
        ("It looks like a cat.", [False]),
        ("Things like apples are good.", [False]),
        ("It was like a dream.", [False]),
        ("Like I said, it is fun.", [False]),
        ("It was, like, really big.", [True]),
        ("She is like really tall.", [True]),
        ("And like we went home.", [True]),
        ("We saw the like biggest tree.", [True]),
        ("I like it, like, a lot.", [False, True]),
    ],
)
def test_like_filler_heuristic(make_transcript, sentence, expected):
    assert _likes(make_transcript, sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("You know, it was fun.", ["you know"]),
        ("It was fun, you know.", ["you know"]),
        ("Do you know the answer?", []),
        ("I mean, it was fun.", ["i mean"]),
        ("That is what I mean.", []),
        ("I mean it.", []),
    ],
)
def test_phrase_fillers(make_transcript, sentence, expected):
    assert [f["text"] for f in metrics.filler_items(make_transcript(sentence))] == expected


def test_phrase_filler_reads_commas_from_transcript_text(make_transcript):
    # Engines give bare words and put punctuation only in the text.
    t = make_transcript("it was like really big", text="It was, like, really big.")
    assert [f["text"] for f in metrics.filler_items(t)] == ["like"]


def test_repetitions(make_transcript):
    reps = metrics.repetitions(make_transcript("I I think I went I went home"))
    assert [(r["text"], r["start"]) for r in reps] == [("I I", 0.0), ("I went I went", 1.2)]
    assert metrics.repetitions(make_transcript("I had had enough")) == []
    assert metrics.repetitions(make_transcript("I liked it. It was fun.")) == []


def test_restarts(make_transcript):
    cut = make_transcript([("I", 0.0, 0.2), ("w-", 0.3, 0.4), ("I", 0.8, 0.9), ("went", 1.0, 1.3)])
    assert [r["start"] for r in metrics.restarts(cut)] == [0.3]
    assert len(metrics.restarts(make_transcript("I was, I went home."))) == 1
    assert metrics.restarts(make_transcript("If I can, I will go.")) == []
