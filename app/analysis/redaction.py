"""The one redaction step for everything sent to an outside language model (the speech feedback
writer and the class narrator): nothing that could name a child leaves the server.

In every text, email addresses and the words of the names given (the speaker and their classmates)
become "[name]"; in the speaker's own words (SPEECH_KEYS), so do capitalised words that may be names.
From every list of words the speaker said (interesting words, topic words used) a word is dropped
when it is one of those names, was said capitalised inside a sentence, or is not in the dictionary:
its Zipf frequency is below DICTIONARY_ZIPF, rarer than about the 30,000 commonest English words,
where most first names and surnames sit.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from .language import STOPWORDS, zipf

PLACEHOLDER = "[name]"
DICTIONARY_ZIPF = 3.0
# Keys of the payloads whose values are lists of single words the speaker said (the teacher's target
# and topic words are the teacher's, and stay).
WORD_LIST_KEYS = frozenset({"interesting_words", "topic_words_used"})
# Keys whose texts are the speaker's own words (quotes, grammar suggestions built from them): there,
# capitalised words go too. Other texts (labels, the task) lose only names and email addresses.
SPEECH_KEYS = frozenset({"quote", "text", "after", "suggestion", "examples"})
# Keys whose items name a word: {"word": …}, {"term": …}.
_WORD_FIELDS = ("word", "term")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


def name_words(names: Iterable[str]) -> set[str]:
    """Every word (two letters or more) of every name, lower-cased."""
    return {p for name in names for p in re.split(r"[\s\-'.]+", (name or "").lower()) if len(p) >= 2}


def redact_capitalised(text: str | None) -> str | None:
    """Replace capitalised words that may be names ("with Anna", "Anna said") by "[name]".

    Kept: "I", and a sentence-initial word that is a common English word ("The", "My", "Last").
    Over-redacting a place or a rarer opener is the accepted cost.
    """
    if text is None:
        return None

    def swap(m: re.Match) -> str:
        word, at = m.group(0), m.start()
        initial = at == 0 or text[:at].rstrip().endswith((".", "!", "?"))
        common = word.lower() in STOPWORDS or zipf(word.lower()) >= 5.0 and initial
        return word if word == "I" or (initial and common) else PLACEHOLDER

    return _CAPITALISED.sub(swap, text)


class Redactor:
    def __init__(self, names: Iterable[str] = (), transcript: str = "") -> None:
        self.names = name_words(names)
        # Words the speaker said capitalised where a sentence does not start: names, most likely,
        # wherever else (lower-cased) they turn up.
        self.proper = {
            m.group(0).lower() for m in _CAPITALISED.finditer(transcript or "")
            if redact_capitalised(transcript[: m.end()]).endswith(PLACEHOLDER)
        }
        private = sorted(self.names | self.proper, key=len, reverse=True)
        self._pattern = (
            re.compile(r"\b(" + "|".join(map(re.escape, private)) + r")\b", re.IGNORECASE) if private else None
        )

    def text(self, value: str | None) -> str | None:
        """The speaker's words: names, email addresses and capitalised words that may be names go."""
        return redact_capitalised(self.names_only(value))

    def names_only(self, value: str | None) -> str | None:
        if value is None:
            return None
        value = _EMAIL.sub(PLACEHOLDER, value)
        return self._pattern.sub(PLACEHOLDER, value) if self._pattern else value

    def keeps_word(self, word: str) -> bool:
        plain = (word or "").strip().lower()
        return bool(plain) and plain not in self.names and plain not in self.proper and zipf(plain) >= DICTIONARY_ZIPF

    def payload(self, value: Any, key: str | None = None) -> Any:
        """*value* (a JSON payload) with every text redacted and every word list filtered."""
        if isinstance(value, dict):
            return {k: self.payload(v, k) for k, v in value.items()}
        if isinstance(value, list):
            if key in WORD_LIST_KEYS:
                value = [item for item in value if self.keeps_word(_word_of(item))]
            return [self.payload(item, key) for item in value]
        if isinstance(value, str):
            return self.text(value) if key in SPEECH_KEYS else self.names_only(value)
        return value


def _word_of(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for field in _WORD_FIELDS:
            if isinstance(item.get(field), str):
                return item[field]
    return ""
