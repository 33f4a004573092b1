"""A passage as a teacher types it becomes the words a student says (shared by both engines)."""
from __future__ import annotations

import pytest

from app.analysis.engines.reference_text import normalise_reference, number_to_words, phrase_ends


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
