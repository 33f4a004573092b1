"""The local assessor's pure parts: letter-to-sound rules, word alignment, the score curve and maths."""
from __future__ import annotations

import pytest

from app.analysis.engines.base import STRICTNESS_LEVELS
from app.analysis.engines.local.pron_g2p import letter_to_sound, pronounce
from app.analysis.engines.local.pron_gop import CURVE_CENTRE, gop_to_score
from app.analysis.engines.local.pron_miscue import DEL, INS, MATCH, SUB, align_words
from app.analysis.engines.local.pron_prosody import npvi
from app.analysis.engines.local.pron_scores import BREAK_SECONDS, completeness

ARPABET = set("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH "
              "UH UW V W Y Z ZH".split())


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


def test_completeness_is_share_of_words_said():
    assert completeness([True, True, False, True]) == 75.0
    assert completeness([]) == 0.0


def test_every_strictness_level_has_a_score_curve_and_a_break_length():
    assert tuple(CURVE_CENTRE) == tuple(BREAK_SECONDS) == STRICTNESS_LEVELS


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
