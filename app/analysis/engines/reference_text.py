"""Reference-text normalisation for pronunciation assessment.

Turns what a teacher types ("It cost $5, on the 3rd of May!") into the words a
student actually says ("it cost five dollars on the third of may"), because the
aligner can only score words it can pronounce. Pure functions, thread-safe.
"""
from __future__ import annotations

import re
import unicodedata

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
_ORDINAL_IRREGULAR = {
    "one": "first", "two": "second", "three": "third", "five": "fifth",
    "eight": "eighth", "nine": "ninth", "twelve": "twelfth",
}
_SYMBOLS = {"&": " and ", "%": " percent ", "+": " plus ", "=": " equals ", "@": " at "}

# A token of digits, with optional thousands separators / decimals / ordinal suffix.
_NUMBER = re.compile(r"(?P<cur>[$£€])?(?P<num>\d[\d,]*(?:\.\d+)?)(?P<ord>st|nd|rd|th)?\b", re.I)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        words.append(_TENS[n // 10])
        n %= 10
        if n:
            words.append(_ONES[n])
    elif n or not words:
        words.append(_ONES[n])
    return words


def number_to_words(n: int) -> list[str]:
    """Spell a non-negative integer in British-style English words ("one hundred and five")."""
    if n < 1000:
        return _below_thousand(n)
    for value, name in _SCALES:
        if n >= value:
            head, rest = divmod(n, value)
            tail = [] if rest == 0 else (["and"] if rest < 100 else []) + number_to_words(rest)
            return number_to_words(head) + [name] + tail
    raise AssertionError("unreachable")


def _year_words(n: int) -> list[str]:
    # Read 1984 as "nineteen eighty four", the way children say years.
    hi, lo = divmod(n, 100)
    if lo == 0:
        return _below_thousand(hi) + ["hundred"]
    return _below_thousand(hi) + (["oh"] if lo < 10 else []) + _below_thousand(lo)


def ordinal(words: list[str]) -> list[str]:
    """Turn the last word of a spelled number into its ordinal ("twenty one" -> "twenty first")."""
    last = words[-1]
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return words[:-1] + [last]


def _spell_number(match: re.Match) -> str:
    raw = match.group("num").replace(",", "")
    whole, _, frac = raw.partition(".")
    n = int(whole)
    if match.group("ord"):
        words = ordinal(number_to_words(n))
    elif not frac and 1100 <= n <= 2099 and n % 1000 >= 10 and "," not in match.group("num"):
        words = _year_words(n)
    else:
        words = number_to_words(n)
    if frac:
        words += ["point"] + [_ONES[int(d)] for d in frac]
    currency = {"$": "dollars", "£": "pounds", "€": "euros"}.get(match.group("cur") or "")
    if currency:
        words.append(currency[:-1] if n == 1 and not frac else currency)
    return " " + " ".join(words) + " "


def normalise_reference(text: str) -> list[str]:
    """Return the spoken words of *text*: lower case, numbers spelled out, no punctuation.

    Guarantees every returned token matches ``[a-z]+('[a-z]+)*``; an empty list means
    the text has nothing to read.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    for symbol, spoken in _SYMBOLS.items():
        text = text.replace(symbol, spoken)
    text = _NUMBER.sub(_spell_number, text)
    text = text.lower().replace("-", " ")
    return _WORD.findall(text)


def normalise_spoken(text: str) -> list[str]:
    """Normalise recogniser output the same way, so words compare equal to reference words."""
    return normalise_reference(text)


_PHRASE_END = re.compile(r"[.,;:!?\u2014\u2013()\"]+|\s-\s")


def phrase_ends(text: str) -> set[int]:
    """Indices (into ``normalise_reference(text)``) of words followed by punctuation.

    A pause after such a word is phrasing, not an unexpected break.
    """
    ends: set[int] = set()
    count = 0
    for chunk in _PHRASE_END.split(text):
        n = len(normalise_reference(chunk))
        if n:
            count += n
            ends.add(count - 1)
    return ends
