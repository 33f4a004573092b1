"""Pure parts of finding words said twice or tried first: parsing the grammar decode, merging, pauses."""
from __future__ import annotations

import pytest

from app.analysis.engines.base import WordAssessment
from app.analysis.engines.local.pron_align import PhoneSeg, WordSeg, repeat_grammar
from app.analysis.engines.local.pron_extras import (
    Extra,
    _proposals,
    breaks_outside_extras,
    merge_extras,
    parse_repeats,
)


@pytest.mark.parametrize("decoded,labels", [
    ("the cat sat", [0, 1, 2]),
    ("the cat cat sat", [0, None, 1, 2]),  # the earlier copy is the extra one
    ("the cat the cat sat", [None, None, 0, 1, 2]),
    ("the the cat sat", [None, 0, 1, 2]),
    ("the cat sat sat", [0, 1, None, 2]),
])
def test_parse_repeats_labels_the_earlier_copy_extra(decoded, labels):
    assert parse_repeats(decoded.split(), "the cat sat".split()) == labels


def test_parse_repeats_follows_the_passage_when_it_repeats_itself():
    labels = parse_repeats("no no no".split(), "no no".split())
    assert labels.count(None) == 1 and [i for i in labels if i is not None] == [0, 1]
    assert parse_repeats("the cat dog".split(), "the cat sat".split()) is None


def test_grammar_offers_every_word_and_pair_again():
    g = repeat_grammar(["the", "cat"], 0.01)
    assert "the ( /0.01/ the | /1/ <NULL> )" in g
    assert "cat ( /0.01/ cat | /0.005/ the cat | /1/ <NULL> )" in g


def test_proposals_pair_a_phrase_and_single_words():
    decoded = "the cat the cat sat".split()
    (pair,) = _proposals(parse_repeats(decoded, "the cat sat".split()), decoded)
    assert (pair.before, pair.copy, pair.twin) == (0, (0, 1), (2, 3))
    decoded = "the cat cat sat sat".split()
    singles = _proposals(parse_repeats(decoded, "the cat sat".split()), decoded)
    assert [(p.before, p.copy, p.twin) for p in singles] == [(1, (1,), (2,)), (2, (3,), (4,))]


def seg(word: str, index: int, start: int, frames: int) -> WordSeg:
    return WordSeg(word, index, start, frames, -100, (PhoneSeg("AH", start, frames, -100),))


def entry(word: str, offset: float, error: str = "None", duration: float = 0.3) -> WordAssessment:
    return WordAssessment(word, offset, duration, 0.0 if error == "Insertion" else 90.0, error)


def test_merge_puts_found_extras_before_their_word_and_marks_them():
    words = [entry("the", 0.0), entry("cat", 1.0), entry("sat", 1.5)]
    extras = [Extra(1, (seg("cat", 1, 40, 30),), "Repetition")]
    merged = merge_extras(words, extras)
    assert [(w.word, w.error_type, w.marks) for w in merged] == [
        ("the", "None", ()), ("cat", "Insertion", ("Repetition",)), ("cat", "None", ()), ("sat", "None", ())]
    assert merged[1].offset == pytest.approx(0.4) and merged[1].duration == pytest.approx(0.3)


def test_merge_keeps_the_recognisers_word_where_both_found_one():
    # Whisper heard "cap" where the audio showed a try at "cat": one entry, Whisper's word, the rule's mark.
    words = [entry("the", 0.0), entry("cap", 0.42, "Insertion"), entry("cat", 1.0), entry("sat", 1.5)]
    merged = merge_extras(words, [Extra(1, (seg("cat", 1, 40, 30),), "Repetition")])
    assert [(w.word, w.marks) for w in merged if w.error_type == "Insertion"] == [("cap", ("SelfCorrection",))]


def test_merge_marks_the_recognisers_repetitions_by_the_rule():
    words = [entry("the", 0.0), entry("cat", 0.5), entry("cat", 1.0, "Insertion"), entry("sat", 1.5)]
    assert [w.marks for w in merge_extras(words, [])] == [(), (), ("Repetition",), ()]


def test_a_pause_filled_by_a_repetition_is_not_an_unexpected_break():
    # "the" ends at frame 50, "cat" starts at 250: 2 s, but "cat" was said from 80 to 200.
    words = (seg("the", 0, 20, 30), seg("cat", 1, 250, 30))
    extras = [Extra(1, (seg("cat", 1, 80, 120),), "Repetition")]
    assert breaks_outside_extras({1}, words, [True, True], extras, 1.2) == set()
    assert breaks_outside_extras({1}, words, [True, True], [], 1.2) == {1}
    long_pause = [Extra(1, (seg("cat", 1, 200, 40),), "Repetition")]  # 1.5 s of silence before the copy
    assert breaks_outside_extras({1}, words, [True, True], long_pause, 1.2) == {1}


def test_a_real_extra_word_heard_there_vetoes_a_copy():
    # The grammar decode read "what you want" as "what you, what you": the recogniser heard "want" there.
    from app.analysis.engines.local.pron_align import Alignment
    from app.analysis.engines.local.pron_extras import _explained_otherwise, _Proposal

    read = Alignment((seg("what", 0, 100, 40), seg("you", 1, 140, 30), seg("what", 2, 170, 40),
                      seg("you", 3, 210, 10)), 300, {})
    pair = _Proposal(2, (0, 1), (2, 3))
    assert _explained_otherwise(pair, read, [(1.65, 1.97)])
    assert not _explained_otherwise(pair, read, [(2.5, 2.8)])
    assert not _explained_otherwise(pair, read, [])


def test_sound_likeness_reads_the_dictionarys_phones():
    from app.analysis.engines.disfluency import ATTEMPT_LIKENESS
    from app.analysis.engines.local.pron_extras import sound_likeness

    # "foam" sounds like "phone" (F OW M / F OW N) but is spelled unlike it.
    assert sound_likeness("foam", "phone") >= ATTEMPT_LIKENESS > sound_likeness("cat", "phone")


def test_a_try_heard_as_a_word_that_sounds_like_the_next_is_a_self_correction():
    from app.analysis.engines.disfluency import disfluency_marks

    words = [entry("the", 0.0), entry("foam", 0.5, "Insertion"), entry("phone", 1.0), entry("rang", 1.5)]
    assert [w.marks for w in merge_extras(words, [])] == [(), ("SelfCorrection",), (), ()]
    # The text rule alone (Azure's results) reads spelling only.
    assert disfluency_marks([w.word for w in words], [w.error_type for w in words]) == {}

