"""Tokens, word forms, lexical diversity, vocabulary level and sentences."""
from __future__ import annotations

import pytest

from app.analysis import grammar, language


def test_normalise():
    assert language.normalise(" Didn\u2019t, ") == "didn't"
    assert language.normalise("Hello!") == "hello"
    assert language.normalise("well-known") == "well-known"
    assert language.normalise("...") == ""


def test_tokens_split_contractions_and_keep_word_index(make_transcript):
    toks = language.tokens(make_transcript("I didn't go"))
    assert [(t.text, t.index) for t in toks] == [("i", 0), ("did", 1), ("not", 1), ("go", 2)]
    assert toks[1].start == toks[2].start == 0.4


def test_boundaries_come_from_transcript_text(make_transcript):
    t = make_transcript("hi there how are you", text="Hi there. How are you?")
    assert [tok.boundary for tok in language.tokens(t)] == ["", ".", "", "", "?"]


@pytest.mark.parametrize(
    "word,base",
    [
        ("walked", "walk"),
        ("hoped", "hope"),
        ("hopped", "hop"),
        ("running", "run"),
        ("children", "child"),
        ("went", "go"),
        ("bigger", "big"),
        ("cities", "city"),
        ("erupted", "erupt"),
        ("seed", "seed"),
        ("swam", "swim"),
        ("boxes", "box"),
    ],
)
def test_lemma(word, base):
    assert language.lemma(word) == base


@pytest.mark.parametrize(
    "word,forms",
    [
        ("walk", {"walk", "walks", "walked", "walking"}),
        ("child", {"child", "children"}),
        ("go", {"go", "goes", "went", "gone", "going"}),
        ("study", {"studies", "studied", "studying"}),
        ("stop", {"stopped", "stopping", "stops"}),
        ("make", {"makes", "made", "making"}),
    ],
)
def test_forms_of(word, forms):
    assert forms <= language.forms_of(word)


def test_forms_of_irregular_excludes_regularised():
    assert "goed" not in language.forms_of("go")


def test_mtld_hand_checked():
    # "a b a" reaches TTR 2/3 <= 0.72 -> one factor every 3 words, both directions.
    assert language.mtld(["a", "b"] * 4 + ["a"]) == pytest.approx(3.0)
    # forward: 1 factor + remainder "c" (TTR 1 -> 0) = 4/1; backward: no full
    # factor, TTR 3/4 -> partial (1-0.75)/0.28 -> 4/0.8929. Mean 4.24.
    assert language.mtld(["a", "b", "a", "c"]) == pytest.approx((4 + 4 / (0.25 / 0.28)) / 2, abs=1e-6)
    assert language.mtld(list("abcdefghij")) == 10.0
    assert language.mtld([]) == 0.0


def test_mtld_is_length_robust_unlike_ttr():
    import random

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(40)]
    short = [rng.choice(vocab) for _ in range(150)]
    long = [rng.choice(vocab) for _ in range(600)]
    assert len(set(long)) / len(long) < 0.5 * len(set(short)) / len(short)
    assert language.mtld(long) == pytest.approx(language.mtld(short), rel=0.25)


def test_vocabulary_profile(make_transcript):
    t = make_transcript("The enormous volcano erupted and the lava was hot. I saw the volcano with my friend.")
    v = language.vocabulary_profile(t)
    # content words: enormous volcano erupted lava hot saw volcano friend
    assert v["content_word_count"] == 8
    # less common (lemma Zipf < 4): volcano x2, erupted, lava
    assert v["less_common_count"] == 4
    assert v["less_common_share"] == 0.5
    assert v["approx_level"] == "C1"
    assert {e["word"] for e in v["less_common_examples"]} == {"volcano", "erupted", "lava"}
    assert v["less_common_examples"][0]["word"] == "erupted"  # rarest first
    assert v["word_count"] == 16 and v["mtld_reliable"] is False


def test_vocabulary_profile_common_words_only(make_transcript):
    v = language.vocabulary_profile(make_transcript("My friend and I play football at school."))
    assert v["less_common_count"] == 0 and v["approx_level"] == "A1"


def test_sentences_from_punctuation(make_transcript):
    t = make_transcript("I like cats. They are soft and they purr a lot!")
    assert grammar.sentence_stats(t) == {"sentence_count": 2, "mean_sentence_length": 5.5, "longest_sentence_length": 8}
    whole = {"text": "They are soft and they purr a lot!", "start": 1.2, "end": 4.35}
    assert grammar.sentences(t)[1] == {**whole, "quote": whole}  # every word sure: the whole sentence may be quoted


def test_sentences_fall_back_to_pauses_without_punctuation(make_transcript):
    t = make_transcript(
        [("i", 0.0, 0.2), ("like", 0.3, 0.5), ("cats", 0.6, 0.9), ("they", 2.0, 2.2), ("purr", 2.3, 2.6)]
    )
    assert grammar.sentence_stats(t)["sentence_count"] == 2
