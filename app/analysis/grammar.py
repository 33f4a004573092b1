"""Grammar evidence from word patterns: which structures a student used, and slips.

This is pattern matching over the transcript, not a parser. It finds clear
cases and quotes them; it misses structures said in unusual ways and can
occasionally mistake one for another (documented in docs/feedback.md). It never
reports an error without the student's words and a timestamp.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterator

from .context import GRAMMAR_STRUCTURES
from .engines.base import Transcript
from .evidence import cut_marks, sure_run
from .language import STOPWORDS, Token, irregular_verbs, lemma, sentence_spans, tokens, zipf

Toks = tuple[Token, ...]
_SUBJECTS = frozenset({"i", "you", "we", "they", "he", "she", "it"})
_THIRD = frozenset({"he", "she", "it"})
_HAVE = frozenset({"have", "has", "'ve", "had", "'d"})
_BE = frozenset({"am", "is", "are", "was", "were", "be", "been", "being", "'s", "get", "got"})
_MODALS = frozenset({"can", "could", "should", "would", "might", "must", "may", "shall", "'d"})
_ADVERBS = frozenset({"not", "never", "already", "just", "ever", "always", "also", "really", "still", "been"})
_DETERMINERS = frozenset("the a an my your his her our their this that some".split())
_LINKERS = (
    "because", "however", "although", "though", "also", "firstly", "first", "secondly", "finally", "then",
    "after that", "for example", "for instance", "in addition", "moreover", "therefore", "so that", "but", "while",
    "in conclusion", "on the other hand", "as well", "besides", "instead", "next", "lastly", "as a result",
)
# "-ed" adjectives that follow "be" without being passive ("I was tired").
_ED_ADJECTIVES = frozenset("""tired excited bored interested scared worried surprised married amazed pleased
shocked confused annoyed frightened relaxed embarrassed disappointed named called""".split())
_NOT_FUTURE_AFTER_GOING_TO = _DETERMINERS | frozenset({"school", "bed", "sleep", "work", "church", "town", ""})
# After these, "he go" is correct ("can he go", "let it go", "did she like").
_NO_AGREEMENT_BEFORE = _MODALS | frozenset(
    {"will", "did", "does", "do", "to", "make", "let", "help", "saw", "see", "watch", "heard", "hear", "made", "not"}
)
# Participles spelled like the past that are common in passives ("was built").
_PASSIVE_TOO = frozenset({"made", "built", "taught", "found", "bought", "sold", "told", "held", "kept"})
_COMMON_VERBS = frozenset("""like want play live work walk talk need love help watch use look try study cook dance
start stay visit""".split())
_SHORT_ADJECTIVES = frozenset("""big small fast tall happy easy old young cold hot nice long short strong high low
cheap smart quick slow hard late early funny pretty busy heavy large great warm clean safe rich poor loud quiet deep
fat thin wide near cool dark bright kind""".split())


@lru_cache(maxsize=1)
def _past_forms() -> dict[str, str]:
    return {past: base for base, (past, _) in irregular_verbs().items() if past != base}


@lru_cache(maxsize=1)
def _participles() -> dict[str, str]:
    return {pp: base for base, (_, pp) in irregular_verbs().items()}


def _regular_ed(word: str) -> bool:
    """A real regular past form: ends in -ed and its stem is a common English word."""
    return word.endswith("ed") and len(word) > 4 and lemma(word) != word and zipf(lemma(word)) >= 3.5


def _noun_like(word: str) -> bool:
    """A content word that can end a subject ("the children walked"), not "very" or "my"."""
    return word.isalpha() and word not in STOPWORDS and not word.endswith(("ly", "ed"))


def _sure(toks: Toks, a: int, b: int) -> bool:
    """Whether every token in [a, b) passes the confidence bar (evidence.is_sure)."""
    return all(t.sure for t in toks[a:b])


def _quote(toks: Toks, a: int, b: int, spans: list[tuple[int, int]]) -> dict:
    """The sentence fragment around tokens [a, b), at most ~8 words, with timestamps.

    The context either side stops at the first word the recogniser was unsure of, so a
    quote of sure evidence holds only sure words.
    """
    sa, sb = next(((x, y) for x, y in spans if x <= a < y), (a, b))
    lo, hi = a, b
    while lo > max(sa, a - 3) and toks[lo - 1].sure:
        lo -= 1
    while hi < min(sb, b + 3) and toks[hi].sure:
        hi += 1
    seen, words = set(), []
    for t in toks[lo:hi]:
        if t.index not in seen:  # contraction pieces share one spoken word
            seen.add(t.index)
            words.append(t.raw)
    return {"quote": " ".join(words).strip(" ,"), "start": round(toks[a].start, 2), "end": round(toks[b - 1].end, 2)}


def _at(toks: Toks, i: int) -> str:
    return toks[i].text if 0 <= i < len(toks) else ""


def _skip_adverbs(toks: Toks, i: int) -> int:
    while _at(toks, i) in _ADVERBS - {"been"}:
        i += 1
    return i


# Each finder yields (first, last+1) token ranges of one example.
def _past_simple(toks: Toks) -> Iterator[tuple[int, int]]:
    for i, t in enumerate(toks):
        before = _at(toks, i - 1)
        if before in _HAVE or before in _BE:
            continue
        if t.text in _past_forms() or t.text in ("was", "were"):
            yield i, i + 1
        elif _regular_ed(t.text) and t.text not in _ED_ADJECTIVES and (before in _SUBJECTS or _noun_like(before)):
            yield i, i + 1
        elif t.text == "did" and _at(toks, i + 1) == "not" and _at(toks, i + 2) not in ("", "."):
            yield i, i + 3


def _present_perfect(toks: Toks) -> Iterator[tuple[int, int]]:
    for i, t in enumerate(toks):
        if t.text in ("have", "has", "'ve") or (t.text == "'s" and _at(toks, i + 1) in ("been", "got")):
            j = _skip_adverbs(toks, i + 1)
            nxt = _at(toks, j)
            if nxt in _participles() or _regular_ed(nxt):
                yield i, j + 1


def _conditionals(toks: Toks) -> Iterator[tuple[int, int]]:
    for i, t in enumerate(toks):
        if t.text in ("if", "unless") and _at(toks, i - 1) not in ("as", "even", "what") and len(toks) > i + 2:
            yield i, min(len(toks), i + 4)


def _comparatives(toks: Toks) -> Iterator[tuple[int, int]]:
    for i, t in enumerate(toks):
        nxt = _at(toks, i + 1)
        if t.text in ("more", "less") and _at(toks, i + 2) == "than":
            yield i, i + 3
        elif t.text == "than" and (_at(toks, i - 1).endswith("er") or _at(toks, i - 1) in ("better", "worse")):
            yield i - 1, i + 1
        elif t.text == "the" and (nxt in ("most", "best", "worst") or nxt.endswith("est") and lemma(nxt) != nxt):
            yield i, i + (3 if nxt == "most" else 2)


def _linking(toks: Toks) -> Iterator[tuple[int, int]]:
    for i in range(len(toks)):
        for linker in _LINKERS:
            parts = linker.split()
            if [_at(toks, i + k) for k in range(len(parts))] == parts:
                if linker in ("first", "then") and i > 0 and toks[i - 1].boundary == "":
                    continue  # "the first day", "and then" stay unmarked as linkers
                yield i, i + len(parts)
                break
        else:
            if toks[i].text == "so" and _at(toks, i + 1) in _SUBJECTS | {"the", "my", "we"}:
                yield i, i + 1


def _future(toks: Toks) -> Iterator[tuple[int, int]]:
    for i, t in enumerate(toks):
        if t.text == "will" and _at(toks, i + 1) not in ("", "you"):
            yield i, i + 2
        elif t.text == "going" and _at(toks, i + 1) == "to" and _at(toks, i + 2) not in _NOT_FUTURE_AFTER_GOING_TO:
            yield i, i + 3
        elif t.text == "gonna":
            yield i, i + 2


def _modals(toks: Toks) -> Iterator[tuple[int, int]]:
    for i, t in enumerate(toks):
        if t.text in _MODALS - {"'d"} and _at(toks, i + 1) not in ("", "i", "you", "we"):
            yield i, i + 2
        elif t.text in ("have", "has") and _at(toks, i + 1) == "to" and _at(toks, i - 1) in _SUBJECTS:
            yield i, i + 3


def _passive(toks: Toks) -> Iterator[tuple[int, int]]:
    for i, t in enumerate(toks):
        if t.text not in _BE:
            continue
        j = _skip_adverbs(toks, i + 1)
        w = _at(toks, j)
        irregular = w in _participles() and w not in _past_forms() or w in _PASSIVE_TOO
        # "by" after it makes even a rarer verb clearly passive ("was decorated by").
        regular = (_regular_ed(w) or (w.endswith("ed") and _at(toks, j + 1) == "by")) and w not in _ED_ADJECTIVES
        if (irregular or regular) and (t.text != "got" or _at(toks, j + 1) == "by"):
            yield i, j + 1


FINDERS: dict[str, Callable[[Toks], Iterator[tuple[int, int]]]] = {
    "past_simple": _past_simple, "present_perfect": _present_perfect, "conditionals": _conditionals,
    "comparatives": _comparatives, "linking_words": _linking, "future_forms": _future, "modal_verbs": _modals,
    "passive_voice": _passive,
}


def _without_overlaps(hits: Iterator[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop a hit that overlaps the previous one ("more better than" is one comparative)."""
    kept: list[tuple[int, int]] = []
    for a, b in hits:
        if not kept or a >= kept[-1][1]:
            kept.append((a, b))
    return kept


def structure_evidence(transcript: Transcript, max_examples: int = 3) -> dict[str, dict]:
    """For every GRAMMAR_STRUCTURES key: label, count and up to *max_examples* quotes with times.

    Only sure examples count (every word of the structure passes the confidence bar);
    ``unsure_count`` says how many more were heard with a word the recogniser was unsure of.
    """
    toks = tokens(transcript)
    spans = sentence_spans(toks)
    result = {}
    for key, finder in FINDERS.items():
        hits = _without_overlaps(finder(toks))
        sure = [(a, b) for a, b in hits if _sure(toks, a, b)]
        examples = [_quote(toks, a, b, spans) for a, b in sure[:max_examples]]
        result[key] = {"label": GRAMMAR_STRUCTURES[key], "count": len(sure), "unsure_count": len(hits) - len(sure),
                       "examples": examples}
    return result


# Bare forms that are also past forms ("he put", "she read") are not agreement slips.
_SAME_IN_PAST = frozenset({"be", "let", "put", "cut", "hit", "set", "shut", "hurt", "cost", "read"})


def _bare_verb(word: str) -> bool:
    return (word in irregular_verbs() or word in _COMMON_VERBS) and word not in _SAME_IN_PAST


def third_person(verb: str) -> str:
    """The he/she/it present form: go -> goes, watch -> watches, study -> studies, have -> has."""
    if verb == "have":
        return "has"
    if verb.endswith(("s", "x", "z", "ch", "sh", "o")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _regularised(word: str) -> str | None:
    """The irregular verb behind a made-up regular form ("goed" -> "go"), if any."""
    if not word.endswith("ed") or zipf(word) >= 2.5:  # real words ("need", "seed") are not errors
        return None
    for stem in (word[:-2], word[:-1], word[:-3]):
        if stem in irregular_verbs() and irregular_verbs()[stem][0] != stem + "ed":
            return stem
    return None


def common_errors(transcript: Transcript) -> list[dict]:
    """Likely learner slips, each with type, the quote, a suggestion and times.

    Types: third_person_s ("he go"), regularised_past ("goed"), double_comparative
    ("more better"), article ("a apple"/"an dog"), did_plus_past ("didn't went").
    A slip is reported only when the recogniser was sure of every word in it: a
    mis-heard word is not the student's mistake.
    """
    from .metrics import starts_with_vowel_sound  # CMU-based; lazy to keep imports light

    toks = tokens(transcript)
    spans = sentence_spans(toks)
    found = []

    def add(kind: str, a: int, b: int, suggestion: str) -> None:
        if _sure(toks, a, b):
            found.append({"type": kind, **_quote(toks, a, b, spans), "suggestion": suggestion})

    for i, t in enumerate(toks):
        nxt, prev = _at(toks, i + 1), _at(toks, i - 1)
        if t.text in _THIRD and prev not in _NO_AGREEMENT_BEFORE and t.boundary == "" and _bare_verb(nxt):
            add("third_person_s", i, i + 2, f"{t.text} {third_person(nxt)}")
        if (base := _regularised(t.text)) is not None:
            add("regularised_past", i, i + 1, irregular_verbs()[base][0])
        compared = nxt in ("better", "best", "worse", "worst") or (
            nxt.endswith(("er", "est")) and lemma(nxt) in _SHORT_ADJECTIVES)
        if t.text in ("more", "most") and compared:
            add("double_comparative", i, i + 2, nxt)
        if t.text in ("a", "an") and nxt.isalpha() and t.boundary == "":
            vowel = starts_with_vowel_sound(nxt)
            if vowel is not None and vowel == (t.text == "a"):
                add("article", i, i + 2, f"{'an' if vowel else 'a'} {nxt}")
        if t.text in ("did", "does") and nxt == "not" and _at(toks, i + 2) in _past_forms():
            add("did_plus_past", i, i + 3, f"didn't {_past_forms()[_at(toks, i + 2)]}")
        elif t.text == "did" and nxt in _past_forms() and prev in _SUBJECTS:
            add("did_plus_past", i, i + 2, f"did {_past_forms()[nxt]}")
    return found


def linking_words_used(transcript: Transcript) -> list[str]:
    """Distinct linking words and phrases the student used, in order of first use (sure ones only)."""
    toks = tokens(transcript)
    seen: list[str] = []
    for a, b in _without_overlaps(_linking(toks)):
        if not _sure(toks, a, b):
            continue
        phrase = " ".join(t.text for t in toks[a:b])
        if phrase not in seen:
            seen.append(phrase)
    return seen


def sentences(transcript: Transcript) -> list[dict]:
    """Sentences as {"text", "start", "end", "quote"}, punctuated, for quoting the student.

    ``quote`` is what feedback may quote of the sentence: {"text", "start", "end"} of the
    whole sentence when the recogniser was sure of every word, else of its longest run of
    sure words (marked with an ellipsis where it was cut), else None.
    """
    toks = tokens(transcript)
    out = []
    for a, b in sentence_spans(toks):
        words: dict[int, Token] = {}  # word index -> its last piece; contraction pieces share one index
        for t in toks[a:b]:
            words[t.index] = t
        spoken = list(words.values())
        out.append({"text": _written(spoken), "start": round(toks[a].start, 2), "end": round(toks[b - 1].end, 2),
                    "quote": _sure_quote(spoken)})
    return out


def word_sentences(transcript: Transcript) -> list[int]:
    """The sentence number (from 0, as in ``sentences``) of each word of *transcript*.

    A word that is only punctuation belongs to the sentence of the word before it.
    """
    toks = tokens(transcript)
    of: dict[int, int] = {}
    for n, (a, b) in enumerate(sentence_spans(toks)):
        for t in toks[a:b]:
            of.setdefault(t.index, n)
    out, current = [], 0
    for i in range(len(transcript.words)):
        current = of.get(i, current)
        out.append(current)
    return out


def _written(words: list[Token]) -> str:
    return " ".join(t.raw.rstrip(".,!?;:") + (t.boundary if t.boundary not in ("", "-") else "") for t in words)


def _sure_quote(words: list[Token]) -> dict | None:
    run = sure_run([t.sure for t in words])
    if run is None:
        return None
    a, b = run
    part = words[a:b]
    if not any(t.text.isalpha() for t in part):  # only numbers or codes ("8.062"): nothing to quote
        return None
    text = _written(part)
    if b < len(words):
        text = text.rstrip(",")
    return {"text": cut_marks(text, cut_before=a > 0, cut_after=b < len(words)),
            "start": round(part[0].start, 2), "end": round(part[-1].end, 2)}


def sentence_stats(transcript: Transcript) -> dict:
    """Number of sentences and their mean length in words (0 for empty speech)."""
    toks = tokens(transcript)
    spans = sentence_spans(toks)
    lengths = [len({t.index for t in toks[a:b]}) for a, b in spans]
    mean = round(sum(lengths) / len(lengths), 1) if lengths else 0.0
    longest = max(lengths, default=0)
    return {"sentence_count": len(spans), "mean_sentence_length": mean, "longest_sentence_length": longest}
