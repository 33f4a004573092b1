"""Phones for words the CMU dictionary does not know (names, new words, typos).

No model download: dictionary look-ups first (the word, its stem before 's, or
two dictionary words joined), then a small rule-based letter-to-sound table.
The rules are rough, but a rough pronunciation only costs that one word some
accuracy; it never stops the assessment. Pure functions, thread-safe.
"""
from __future__ import annotations

from typing import Callable, Optional

Lookup = Callable[[str], Optional[str]]

# Longest graphemes first; each maps to ARPAbet phones (no stress marks: the
# pocketsphinx acoustic model ignores them).
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tion", ("SH", "AH", "N")), ("sion", ("ZH", "AH", "N")), ("ough", ("AO",)),
    ("augh", ("AO",)), ("igh", ("AY",)), ("tch", ("CH",)), ("dge", ("JH",)),
    ("sch", ("S", "K")), ("ture", ("CH", "ER")), ("eau", ("OW",)),
    ("ch", ("CH",)), ("sh", ("SH",)), ("th", ("TH",)), ("ph", ("F",)), ("wh", ("W",)),
    ("ck", ("K",)), ("ng", ("NG",)), ("qu", ("K", "W")), ("kn", ("N",)), ("wr", ("R",)),
    ("gh", ("G",)), ("ee", ("IY",)), ("ea", ("IY",)), ("oo", ("UW",)), ("ou", ("AW",)),
    ("ow", ("OW",)), ("oa", ("OW",)), ("oi", ("OY",)), ("oy", ("OY",)), ("ai", ("EY",)),
    ("ay", ("EY",)), ("au", ("AO",)), ("aw", ("AO",)), ("ew", ("UW",)), ("ie", ("IY",)),
    ("ei", ("EY",)), ("ey", ("IY",)), ("ar", ("AA", "R")), ("er", ("ER",)), ("ir", ("ER",)),
    ("ur", ("ER",)), ("or", ("AO", "R")), ("ll", ("L",)), ("ss", ("S",)), ("ff", ("F",)),
    ("a", ("AE",)), ("b", ("B",)), ("c", ("K",)), ("d", ("D",)), ("e", ("EH",)),
    ("f", ("F",)), ("g", ("G",)), ("h", ("HH",)), ("i", ("IH",)), ("j", ("JH",)),
    ("k", ("K",)), ("l", ("L",)), ("m", ("M",)), ("n", ("N",)), ("o", ("AA",)),
    ("p", ("P",)), ("q", ("K",)), ("r", ("R",)), ("s", ("S",)), ("t", ("T",)),
    ("u", ("AH",)), ("v", ("V",)), ("w", ("W",)), ("x", ("K", "S")), ("y", ("IY",)),
    ("z", ("Z",)),
)
_LONG_VOWEL = {"a": ("EY",), "e": ("IY",), "i": ("AY",), "o": ("OW",), "u": ("UW",)}
_VOWELS = set("aeiouy")
_SOFTENERS = set("eiy")


def letter_to_sound(word: str) -> list[str]:
    """Rule-based phones for a lower-case word; guarantees a non-empty list for any
    word containing at least one letter, and only ARPAbet phone names."""
    letters = "".join(c for c in word.lower() if c.isalpha())
    # Magic e: "bake" -> B EY K. Drop a final silent e and lengthen the vowel before it.
    magic = (len(letters) >= 4 and letters[-1] == "e" and letters[-2] not in _VOWELS and letters[-3] in _LONG_VOWEL
             and letters[-4] not in _VOWELS)
    if magic:
        letters = letters[:-1]
    elif len(letters) > 2 and letters.endswith("e") and letters[-2] not in _VOWELS:
        letters = letters[:-1]  # silent final e ("cheese" -> after "ee" rule)
    phones: list[str] = []
    i = 0
    while i < len(letters):
        nxt = letters[i + 1] if i + 1 < len(letters) else ""
        if magic and i == len(letters) - 2 and letters[i] in _LONG_VOWEL:
            phones += _LONG_VOWEL[letters[i]]
            i += 1
            continue
        if letters[i] == "c" and nxt in _SOFTENERS:
            phones.append("S")  # soft c: "city"
            i += 1
            continue
        if letters[i] == "y" and i == 0:
            phones.append("Y")  # consonant y: "yak"
            i += 1
            continue
        for graph, ph in _RULES:
            if letters.startswith(graph, i):
                phones += ph
                i += len(graph)
                break
        else:
            i += 1  # unreachable for a-z; keeps the loop total for anything else
    # Collapse doubled consonant phones ("butter" -> one T).
    out = [p for j, p in enumerate(phones) if j == 0 or p != phones[j - 1] or p in ("AH", "IY")]
    return out or ["AH"]


def _strip_variant(phones: str) -> list[str]:
    return [p.rstrip("012") for p in phones.split()]


def _split_compound(word: str, lookup: Lookup) -> Optional[list[str]]:
    # "sandcastle" -> "sand" + "castle"; both halves at least 3 letters to avoid "a"+"...".
    for cut in range(len(word) - 3, 2, -1):
        head, tail = lookup(word[:cut]), lookup(word[cut:])
        if head and tail:
            return _strip_variant(head) + _strip_variant(tail)
    return None


def pronounce(word: str, lookup: Lookup) -> tuple[list[str], str]:
    """Phones for *word* and where they came from: "dict", "stem", "compound" or "rules".

    Never raises for a non-empty alphabetic word.
    """
    found = lookup(word)
    if found:
        return _strip_variant(found), "dict"
    if word.endswith("'s") and lookup(word[:-2]):
        stem = _strip_variant(lookup(word[:-2]) or "")
        return stem + (["IH", "Z"] if stem[-1] in ("S", "Z", "SH", "CH", "JH", "ZH") else ["Z"]), "stem"
    clean = word.replace("'", "")
    compound = _split_compound(clean, lookup) if len(clean) >= 6 else None
    if compound:
        return compound, "compound"
    return letter_to_sound(clean), "rules"
