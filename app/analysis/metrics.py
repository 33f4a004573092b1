"""Delivery metrics: pace, pauses, filler words, syllables.

Plain functions of a ``Transcript``; the norms they are held to (norms.py) are
the ones teachers of spoken English commonly use, and the report quotes them.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from itertools import pairwise

from .engines.base import Transcript
from .evidence import is_sure
from .language import Token, normalise, tokens
from .norms import LONG_PAUSE_SECONDS, PAUSE_SECONDS

FILLER_SOUNDS = frozenset({"um", "uh", "er", "erm", "ah", "hmm", "mm"})  # as language.normalise spells them
_SUBJECTS = frozenset({"i", "you", "we", "they", "he", "she", "it", "there"})
_INTENSIFIERS = frozenset({"really", "so", "very", "totally", "super", "literally", "just", "kind", "sort"})
_DETERMINERS = frozenset({"the", "a", "an", "my", "his", "her", "our", "their", "your", "this", "that"})
_CONJUNCTIONS = frozenset({"and", "but", "so", "because", "or", "then"})
# Before "like", these make it the verb ("I really like", "would like", "don't like").
_VERB_CONTEXT = _SUBJECTS | {
    "would", "'d", "do", "does", "did", "not", "to", "really", "also", "always", "still", "never", "people",
    "kids", "children", "friends",
}
# Before "like", these make it a preposition ("looks like", "things like").
_PREP_CONTEXT = frozenset({
    "look", "looks", "looked", "looking", "sound", "sounds", "seem", "seems", "feel", "feels", "felt",
    "something", "things", "stuff", "just", "more", "much", "anything", "nothing", "is", "was", "were", "are",
    "be", "exactly",
})
_KNOW_MEAN_BLOCKERS = frozenset({
    "do", "did", "does", "not", "if", "what", "how", "would", "will", "can", "could", "as", "to", "'d", "that",
    "who", "where", "why",
})


# ---- syllables -------------------------------------------------------------


@lru_cache(maxsize=1)
def _cmu() -> dict[str, tuple[int, str]]:
    """word -> (syllable count, first phone) of its first pronunciation in the CMU dictionary."""
    import pocketsphinx  # only for the path of the dictionary it ships

    path = os.path.join(pocketsphinx.get_model_path(), "en-us", "cmudict-en-us.dict")
    counts: dict[str, tuple[int, str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, _, phones = line.partition(" ")
            if "(" not in word:  # "(2)" variants: keep the first pronunciation
                parts = phones.split()
                # This copy has no stress digits: every vowel phone is one syllable.
                counts[word] = (sum(p[0] in "AEIOU" for p in parts), parts[0] if parts else "")
    return counts


def estimate_syllables(word: str) -> int:
    """Spelling-based syllable guess for words the dictionary lacks (at least 1)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    groups = re.findall(r"[aeiouy]+", w)
    n = len(groups)
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1  # silent final e: "make"
    return max(1, n)


def syllables(word: str) -> int:
    """Syllables in *word*: CMU dictionary count, else ``estimate_syllables``."""
    w = normalise(word)
    if not w:
        return 0
    known = _cmu().get(w)
    return known[0] if known else sum(estimate_syllables(p) for p in w.split("-") if p)


def starts_with_vowel_sound(word: str) -> bool | None:
    """Whether *word* is pronounced with a vowel first ("hour" yes, "uniform" no); None if unknown."""
    known = _cmu().get(normalise(word))
    return known[1][:1] in "AEIOU" if known and known[1] else None


# ---- timing ----------------------------------------------------------------


def spoken_words(transcript: Transcript) -> list:
    """Words that are real words: no filler sounds, no punctuation-only items."""
    return [w for w in transcript.words if normalise(w.text) and normalise(w.text) not in FILLER_SOUNDS]


def pauses(transcript: Transcript, min_gap: float = PAUSE_SECONDS) -> list[dict]:
    """Silent gaps of at least *min_gap* seconds between consecutive words.

    Each item: start, end, length (seconds) and the words either side, so a
    report can say "after 'holiday' at 0:12", and ``after_sure``: whether the
    recogniser was sure of the word before the pause (only then is it quoted).
    """
    words = transcript.words
    found = []
    for a, b in pairwise(words):
        gap = round(b.start - a.end, 3)  # 0.7 - 0.2 must be 0.5, not 0.4999...
        if gap >= min_gap:
            found.append({
                "start": round(a.end, 2), "end": round(b.start, 2), "length": round(gap, 2),
                "after": a.text.strip(), "before": b.text.strip(), "after_sure": is_sure(a.confidence),
            })
    return found


def timing(transcript: Transcript) -> dict:
    """Duration, speaking time, words per minute and articulation rate.

    ``speaking_time`` is first-word start to last-word end minus pauses of
    ``PAUSE_SECONDS`` or more; ``words_per_minute`` uses the span from first to
    last word (silence before/after the speech does not count against the
    student); ``articulation_rate`` is syllables per second of speaking time.
    All rates are 0.0 when there are no words.
    """
    words = spoken_words(transcript)
    gaps = pauses(transcript)
    if not transcript.words:
        span = 0.0
    else:
        span = max(0.0, transcript.words[-1].end - transcript.words[0].start)
    speaking = max(0.0, span - sum(g["length"] for g in gaps))
    sylls = sum(syllables(w.text) for w in words)
    return {
        "duration": round(transcript.duration, 2), "speech_span": round(span, 2),
        "speaking_time": round(speaking, 2), "word_count": len(words), "syllable_count": sylls,
        "words_per_minute": round(len(words) / span * 60, 1) if span > 0 else 0.0,
        "articulation_rate": round(sylls / speaking, 2) if speaking > 0 else 0.0,
    }


def pause_stats(transcript: Transcript) -> dict:
    """Count, mean and longest pause, and how many pauses last over a second."""
    gaps = pauses(transcript)
    lengths = [g["length"] for g in gaps]
    return {
        "pause_count": len(gaps), "mean_pause": round(sum(lengths) / len(lengths), 2) if lengths else 0.0,
        "longest_pause": max(lengths, default=0.0),
        "long_pause_count": sum(1 for x in lengths if x > LONG_PAUSE_SECONDS),
    }


# ---- fillers ---------------------------------------------------------------


def _starts_clause(toks: tuple[Token, ...], i: int) -> bool:
    return i == 0 or toks[i - 1].boundary in (".", "?", "!", ",")


def is_filler_like(toks: tuple[Token, ...], i: int) -> bool:
    """Whether "like" at *i* is a filler ("it was, like, huge") rather than a verb or preposition.

    Heuristic, in order: a comma right after it -> filler; a subject or
    auxiliary before it ("I like", "would like") -> verb; "looks/something/was
    like" -> preposition unless an intensifier follows ("was like really big");
    after a conjunction, a filler sound, a determiner or another "like", or
    before an intensifier -> filler; at a clause start, filler only before a
    pronoun ("Like, we went" / "like we went") but not "like I said".
    """
    t = toks[i]
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    nxt_text = nxt.text if nxt else ""
    if t.boundary == ",":
        return True
    if prev and prev.boundary == "" and prev.text in _VERB_CONTEXT:
        return False
    if nxt_text in _INTENSIFIERS or nxt_text in FILLER_SOUNDS or nxt_text == "like":
        return True
    if prev and prev.boundary == "" and prev.text in _PREP_CONTEXT:
        return False
    if prev and prev.text in (_CONJUNCTIONS | FILLER_SOUNDS | _DETERMINERS | {"like"}):
        return True
    if _starts_clause(toks, i) and nxt_text in _SUBJECTS:
        follow = toks[i + 2].text if i + 2 < len(toks) else ""
        return follow not in ("said", "say")
    return False


def _is_phrase_filler(toks: tuple[Token, ...], i: int, second: str) -> bool:
    """ "you know" / "I mean" at *i* used to fill time, not as a real question or statement."""
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[i + 2] if i + 2 < len(toks) else None
    if prev and prev.boundary == "" and prev.text in _KNOW_MEAN_BLOCKERS:
        return False
    if toks[i + 1].boundary in (",", "-"):
        return True
    if second == "know":
        return (
            nxt is None
            or toks[i + 1].boundary != ""
            or nxt.text in (_SUBJECTS | FILLER_SOUNDS | _CONJUNCTIONS | {"like"})
        )
    return nxt is not None and nxt.text not in ("it", "that", "this", "to", "what") and _starts_clause(toks, i)


def filler_items(transcript: Transcript) -> list[dict]:
    """Every filler with its text, start, end, the index of its (first) word, and whether it was heard surely."""
    toks = tokens(transcript)
    items: list[dict] = []
    i = 0
    while i < len(toks):
        t, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else None
        pair = f"{t.text} {nxt.text}" if nxt else ""
        if t.text in FILLER_SOUNDS or (t.text == "like" and is_filler_like(toks, i)):
            items.append({"text": t.text, "start": round(t.start, 2), "end": round(t.end, 2), "index": t.index,
                          "sure": t.sure})
        elif pair in ("you know", "i mean") and _is_phrase_filler(toks, i, nxt.text):
            items.append({
                "text": pair, "start": round(t.start, 2), "end": round(nxt.end, 2), "index": t.index,
                "last_index": nxt.index, "sure": t.sure and nxt.sure,
            })
            i += 1
        i += 1
    return items


def filler_stats(transcript: Transcript) -> dict:
    """Filler count, per minute of speech span, per 100 words, and which ones."""
    items = filler_items(transcript)
    t = timing(transcript)
    minutes = t["speech_span"] / 60
    words = t["word_count"] + sum(1 for f in items if f["text"] in FILLER_SOUNDS)
    counts: dict[str, tuple[int, str]] = {}
    for f in items:
        counts[f["text"]] = counts.get(f["text"], 0) + 1
    return {
        "filler_count": len(items), "fillers_per_minute": round(len(items) / minutes, 2) if minutes > 0 else 0.0,
        "fillers_per_100_words": round(100 * len(items) / words, 2) if words else 0.0, "filler_types": counts,
        "fillers": items,
    }


# ---- repetitions and restarts ---------------------------------------------

# Doubled words that are correct English, not a stumble.
_LEGIT_DOUBLES = frozenset({"that", "had", "is", "very", "so", "no", "bye", "ha", "really"})
_STARTERS = frozenset({"i", "we", "he", "she", "they", "it", "you", "the", "my", "there", "a"})


def repetitions(transcript: Transcript) -> list[dict]:
    """Immediately repeated words or two-word chunks ("I I think", "I went I went").

    Each item quotes the repeat with its start time and says whether every word of
    it was heard surely. Doubles that are good English ("had had", "very very") are
    not counted.
    """
    toks = [t for t in tokens(transcript) if t.text not in FILLER_SOUNDS]
    found: list[dict] = []
    i = 0
    while i < len(toks) - 1:
        for n in (2, 1):
            a, b = toks[i : i + n], toks[i + n : i + 2 * n]
            # A sentence end between them makes it two sentences, not a stumble ("...it. It was").
            if len(b) == n and [t.text for t in a] == [t.text for t in b] and a[-1].boundary not in (".", "?", "!"):
                if n == 1 and a[0].text in _LEGIT_DOUBLES:
                    continue
                found.append({
                    "text": " ".join(t.raw for t in a + b), "start": round(a[0].start, 2),
                    "end": round(b[-1].end, 2), "index": b[0].index, "last_index": b[-1].index,
                    "sure": all(t.sure for t in a + b),
                })
                i += 2 * n - 1
                break
        i += 1
    return found


def restarts(transcript: Transcript) -> list[dict]:
    """Places where the student broke off and began again.

    Counted: a cut-off word written with a trailing dash ("I w- I went"), or a
    clause start abandoned after one word and a comma and begun again with the
    same word ("I was, I went"); "if I can, I will" is not a restart.
    """
    toks = tokens(transcript)
    found: list[dict] = []
    for i, t in enumerate(toks):
        if t.boundary == "-":
            found.append(
                {"text": " ".join(x.raw for x in toks[i : i + 3]), "start": round(t.start, 2), "index": t.index}
            )
            continue
        clause_start = (
            i == 0 or toks[i - 1].boundary in (".", "?", "!") or toks[i - 1].text in _CONJUNCTIONS | FILLER_SOUNDS
        )
        if clause_start and t.text in _STARTERS and i + 2 < len(toks) and toks[i + 1].boundary == ",":
            again = toks[i + 2]
            if again.text == t.text and again.index != toks[i + 1].index:
                found.append(
                    {"text": " ".join(x.raw for x in toks[i : i + 4]), "start": round(t.start, 2), "index": t.index}
                )
    return found
