"""Pure parts of pronunciation assessment: text, G2P, word alignment, score maths."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.engines.local.pron_g2p import letter_to_sound, pronounce
from app.analysis.engines.local.pron_gop import gop_to_score
from app.analysis.engines.local.pron_miscue import DEL, INS, MATCH, SUB, align_words
from app.analysis.engines.local.pron_prosody import npvi
from app.analysis.engines.base import pron_score
from app.analysis.engines.local.pron_scores import completeness
from app.analysis.engines.reference_text import normalise_reference, number_to_words, phrase_ends
from app.analysis.errors import AnalysisError, AudioTooLarge, AudioTooLong, AudioTooShort
from app.analysis.passages import LEVELS, PASSAGES, get_passage, passages_for_level
from app.analysis.pronunciation import MAX_REFERENCE_WORDS, assess_pronunciation, validate_reference
from tests.factories import app_config

ARPABET = set("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH "
              "UH UW V W Y Z ZH".split())


@pytest.mark.parametrize("text,words", [
    ("It cost $5!", ["it", "cost", "five", "dollars"]),
    ("the 3rd of May, 1984", ["the", "third", "of", "may", "nineteen", "eighty", "four"]),
    ("2,500 people", ["two", "thousand", "five", "hundred", "people"]),
    ("12.5% of 21", ["twelve", "point", "five", "percent", "of", "twenty", "one"]),
    ("Don\u2019t stop -- well-known \"quotes\".", ["don't", "stop", "well", "known", "quotes"]),
    ("Caf\u00e9 & cr\u00e8me", ["cafe", "and", "creme"]),
])
def test_reference_is_normalised_to_spoken_words(text, words):
    assert normalise_reference(text) == words


def test_numbers_spell_out():
    assert number_to_words(0) == ["zero"]
    assert number_to_words(105) == ["one", "hundred", "and", "five"]
    assert number_to_words(3_000_017) == ["three", "million", "and", "seventeen"]


def test_phrase_ends_mark_words_before_punctuation():
    assert phrase_ends("Hello there, my friend. How are you") == {1, 3, 6}


def test_reference_validation_messages():
    with pytest.raises(AnalysisError) as err:
        validate_reference("  ... !! ")
    assert err.value.code == "empty_reference"
    with pytest.raises(AnalysisError) as err:
        validate_reference("word " * 2000)
    assert err.value.code == "reference_too_long" and "2000" in err.value.message
    assert len(validate_reference("word " * MAX_REFERENCE_WORDS)) == MAX_REFERENCE_WORDS
    assert validate_reference("I have 2 cats.") == ["i", "have", "two", "cats"]


def test_bad_reference_is_refused_before_any_audio_is_decoded():
    with pytest.raises(AnalysisError) as err:
        assess_pronunciation(b"not audio at all", "", app_config())
    assert err.value.code == "empty_reference"
    with pytest.raises(ValueError):
        assess_pronunciation(b"not audio at all", "hello", app_config(), strictness="harsh")


@pytest.mark.parametrize("word,phones", [
    ("cake", ["K", "EY", "K"]), ("night", ["N", "AY", "T"]), ("city", ["S", "IH", "T", "IY"]),
    ("ship", ["SH", "IH", "P"]), ("yak", ["Y", "AE", "K"]),
])
def test_letter_to_sound_rules(word, phones):
    assert letter_to_sound(word) == phones


@pytest.mark.parametrize("word", ["zorbled", "xq", "aaaa", "rhythmically", "qwrtp"])
def test_letter_to_sound_always_gives_arpabet(word):
    phones = letter_to_sound(word)
    assert phones and set(phones) <= ARPABET


def test_pronounce_prefers_the_dictionary_then_stems_then_compounds():
    lexicon = {"sand": "S AE1 N D", "castle": "K AE1 S AH0 L", "tom": "T AA1 M"}
    assert pronounce("sand", lexicon.get) == (["S", "AE", "N", "D"], "dict")
    assert pronounce("tom's", lexicon.get) == (["T", "AA", "M", "Z"], "stem")
    assert pronounce("sandcastle", lexicon.get)[1] == "compound"
    assert pronounce("blorp", lexicon.get)[1] == "rules"


def test_word_alignment_finds_insertions_deletions_and_substitutions():
    ops = align_words("tell me what you want".split(), "um tell me what want now".split())
    kinds = [(o.op, o.ref, o.hyp) for o in ops]
    assert kinds == [(INS, None, 0), (MATCH, 0, 1), (MATCH, 1, 2), (MATCH, 2, 3), (DEL, 3, None),
                     (MATCH, 4, 4), (INS, None, 5)]
    ops = align_words("they all turned me".split(), "they are tended to me".split())
    assert [o.op for o in ops] == [MATCH, SUB, SUB, INS, MATCH]  # "are" pairs with "all"


def test_word_alignment_tolerates_spelling_variants():
    assert [o.op for o in align_words(["colour", "its"], ["color", "it's"])] == [MATCH, MATCH]


def test_pron_score_weighs_the_weakest_score_most():
    # Azure sample: sorted ascending, 0.4 / 0.2 / 0.2 / 0.2.
    assert pron_score(90, 80, 100, 50) == pytest.approx(0.4 * 50 + 0.2 * (80 + 90 + 100))
    assert pron_score(50, 80, 100, 90) == pron_score(90, 80, 100, 50)
    assert pron_score(60, 80, 100, None) == pytest.approx(0.6 * 60 + 0.2 * 80 + 0.2 * 100)
    assert pron_score(100, 100, 100, 100) == pytest.approx(100)


def test_completeness_is_share_of_words_said():
    assert completeness([True, True, False, True]) == 75.0
    assert completeness([]) == 0.0


def test_score_curve_is_monotone_and_strictness_ordered():
    gops = [-4, -2, -1, 0, 1, 2]
    for level in ("gentle", "standard", "strict"):
        scores = [gop_to_score(g, level) for g in gops]
        assert scores == sorted(scores) and 0 <= scores[0] and scores[-1] <= 100
    for g in gops:
        assert gop_to_score(g, "gentle") > gop_to_score(g, "standard") > gop_to_score(g, "strict")


def test_npvi():
    assert npvi([10, 10, 10]) == 0.0
    assert npvi([10, 30]) == pytest.approx(100.0)
    assert npvi([5]) == 0.0


def test_passage_library_is_graded_and_sized():
    assert 28 <= len(PASSAGES) <= 34
    assert len({p.id for p in PASSAGES}) == len(PASSAGES)
    for level in LEVELS:
        assert len(passages_for_level(level)) >= 6
    for p in PASSAGES:
        assert 25 <= len(normalise_reference(p.text)) <= 90, p.id
        assert p.title and p.level in LEVELS
    assert get_passage("l1-red-kite").level == 1 and get_passage("nope") is None


def test_char_distance():
    from app.analysis.engines.local.pron_miscue import char_distance

    assert char_distance("kitten", "sitting") == 3
    assert char_distance("", "abc") == 3 and char_distance("same", "same") == 0


def test_sound_similarity_of_phone_lists():
    from app.analysis.engines.local.pron_miscue import similarity

    assert similarity(("K", "AE", "T"), ("K", "AE", "P")) == pytest.approx(2 / 3)
    assert similarity(("K", "AE", "T"), ()) == 0.0 and similarity(("S",), ("S",)) == 1.0


def test_heard_likeness_grades_what_the_recogniser_heard_in_each_words_place():
    from app.analysis.engines.local.pronunciation import _Heard, heard_likeness

    ref = ["the", "cat", "sat", "down"]
    heard = [_Heard(w, 0.0, 0.1, 0.9) for w in ("the", "cap", "town")]
    likeness = heard_likeness(ref, heard, align_words(ref, [h.word for h in heard]))
    # the: heard exactly; cat/cap share K AE; sat: nothing heard; down/town share AW N. The
    # recogniser was 0.9 sure, so a tenth of the doubt weight lifts the partial matches.
    partial = 2 / 3 + (1 / 3) * 0.5 * 0.1
    assert likeness == pytest.approx([1.0, partial, 0.25, partial])
    unsure = heard_likeness(["cat"], [_Heard("dog", 0.0, 0.1, 0.0)], align_words(["cat"], ["dog"]))
    assert unsure == pytest.approx([0.5])  # nothing in common, but the recogniser had no confidence


def _loop_of_speech(seconds: float):
    import numpy as np

    return np.full(int(seconds * 100), "AH", dtype=object)


@pytest.mark.parametrize("heard_words,confidence,kept", [
    (["tell", "me", "now", "what"], 0.3, True),  # next to words heard exactly: a less sure word counts
    (["tell", "me", "now", "what"], 0.05, False),  # ...but not a guess
    (["tall", "mi", "now", "wot"], 0.3, False),  # among mishearings, 0.3 is not sure enough
    (["tall", "mi", "now", "wot"], 0.6, True),
])
def test_an_extra_word_is_believed_by_confidence_and_neighbourhood(heard_words, confidence, kept):
    from app.analysis.engines.local.pronunciation import _Heard, _insertions_kept

    ref = ["tell", "me", "what"]
    heard = [_Heard(w, 0.3 * k, 0.3 * k + 0.25, confidence if w == "now" else 0.9) for k, w in enumerate(heard_words)]
    ops = align_words(ref, heard_words)
    assert [o.op for o in ops].count(INS) == 1
    kept_ops = _insertions_kept(ops, heard, _loop_of_speech(2.0))
    assert any(o.op == INS for o in kept_ops) is kept


@pytest.mark.parametrize("setting, value, error", [
    ("ANALYSIS_MAX_SECONDS", 2, AudioTooLong),
    ("ANALYSIS_MAX_BYTES", 1000, AudioTooLarge),
    ("ANALYSIS_MIN_SPEECH_SECONDS", 60, AudioTooShort),
])
def test_a_reading_is_decoded_within_the_configured_limits(setting, value, error):
    clip = Path(__file__).resolve().parents[1] / "data" / "so762_030830001.wav"  # 3.2 s of a child reading
    with pytest.raises(error):
        assess_pronunciation(clip, "Tell me what you want me to do.", app_config(**{setting: value}))
