"""Which extra spoken words of a reading are repetitions or self-corrections.

Both engines list a word said that is not the passage's word at that place as an
Insertion (Azure does, with miscue on). Some are not miscues at all:

* a **repetition** says again a word or phrase of the passage next to it
  ("the cat cat sat", "the cat the cat sat");
* a **self-correction** is a wrong try at the next passage word, which the child then
  reads correctly ("the cap cat sat"): the try starts that word ("ca") or is spelled like
  it (at least half its letters in place) or, where the engine can say how words sound,
  sounds like it (at least half its phones in place: "foam" for "phone").

A word said twice is often heard wrong twice ("loss, loss" for "Laos, Laos"), so the
repetition test compares what the recogniser heard, where the engine knows it; a try
followed by a word spelled like it but heard differently is then a repetition too.
The rule reads only the words' text and marks (and, from the offline engine, how they
sound: Whisper writes a try down as the word it sounded like, seldom spelled like the
passage word), so Azure's and the offline engine's results are marked alike. Pure
functions, thread-safe.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from .local.pron_miscue import similarity, words_match
from .reading_figures import EXTRA, MISREAD, REPETITION, SELF_CORRECTION

MAX_PHRASE = 3  # longest run of words said again that counts as one repetition
ATTEMPT_LIKENESS = 0.5  # share of letters (or phones) in place for a try to count as a try at the word
# How much two words sound alike (0..1), given by an engine that knows their phones.
SoundLikeness = Callable[[str, str], float]


def _norm(word: str) -> str:
    return word.lower().strip(".,;:!?\"'")


def attempt_at(tried: str, word: str, sound_likeness: Optional[SoundLikeness] = None) -> bool:
    """True when *tried* looks like a try at *word*: its beginning, spelled mostly like it, or
    (with *sound_likeness*) sounding mostly like it."""
    tried, word = _norm(tried), _norm(word)
    if not tried or words_match(tried, word):
        return False
    if word.startswith(tried) or similarity(tried, word) >= ATTEMPT_LIKENESS:
        return True
    return sound_likeness is not None and sound_likeness(tried, word) >= ATTEMPT_LIKENESS


def _runs(kinds: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive extra words."""
    runs, start = [], None
    for i, kind in enumerate([*kinds, "end"]):
        if kind == EXTRA and start is None:
            start = i
        elif kind != EXTRA and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _repeats(spoken: Sequence[str], first: int, n: int) -> bool:
    """True when the n spoken words from *first* are one copy of a phrase said twice in a row."""
    for k in range(max(first - n, 0), first + 1):
        if k + 2 * n <= len(spoken) and all(words_match(spoken[k + j], spoken[k + n + j]) for j in range(n)):
            return True
    return False


def disfluency_marks(texts: Sequence[str], kinds: Sequence[str], heard: Optional[Sequence[str]] = None,
                     sound_likeness: Optional[SoundLikeness] = None) -> dict[int, str]:
    """Mark for each extra word that is a repetition or a self-correction, by index.

    *texts* and *kinds* are the words and ErrorTypes of a reading in spoken order
    (passage words once each, extra words where they were heard); *heard*, when given,
    is what the recogniser heard for each (a passage word's text when it heard that word).
    Omitted passage words were not said, so "the cat [omitted] cat" is still a repetition.
    *sound_likeness* lets a try sound like the word rather than be spelled like it.
    """
    heard = texts if heard is None else heard
    said = [i for i, k in enumerate(kinds) if k != "Omission"]
    where = {i: p for p, i in enumerate(said)}
    spoken = [_norm(heard[i]) for i in said]
    marks: dict[int, str] = {}
    for start, end in _runs([kinds[i] for i in said]):
        run = said[start:end]
        if end - start <= MAX_PHRASE and _repeats(spoken, start, end - start):
            marks.update(dict.fromkeys(run, REPETITION))
            continue
        for i in run:  # a single word said again, inside a longer run
            p = where[i]
            if (p > 0 and words_match(spoken[p - 1], spoken[p])) or (
                    p + 1 < len(spoken) and words_match(spoken[p + 1], spoken[p])):
                marks[i] = REPETITION
        nxt = said[end] if end < len(said) else None
        if nxt is None or kinds[nxt] in MISREAD or not words_match(_norm(heard[nxt]), _norm(texts[nxt])):
            continue
        for i in reversed(run):  # tries at the next word, nearest first
            if i in marks or not attempt_at(texts[i], texts[nxt], sound_likeness):
                break
            marks[i] = SELF_CORRECTION
    return marks
