"""Words as a teacher reads them: tokens, word forms, sentences, diversity, level.

Everything here is a pure function of a ``Transcript`` (or of plain strings), so
each number in a report can be re-derived from the transcript alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .engines.base import Transcript
from .evidence import is_sure

# base past participle; "." means "same as past". Kept to verbs children use.
_IRREGULAR = """
be was been|become became become|begin began begun|bite bit bitten|blow blew blown
break broke broken|bring brought .|build built .|buy bought .|catch caught .
choose chose chosen|come came come|cost cost .|cut cut .|do did done|draw drew drawn
drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed .
feel felt .|fight fought .|find found .|fly flew flown|forget forgot forgotten
get got gotten|give gave given|go went gone|grow grew grown|have had .|hear heard .
hide hid hidden|hit hit .|hold held .|hurt hurt .|keep kept .|know knew known
leave left .|lend lent .|let let .|lose lost .|make made .|mean meant .|meet met .
pay paid .|put put .|read read .|ride rode ridden|ring rang rung|rise rose risen
run ran run|say said .|see saw seen|sell sold .|send sent .|set set .|shake shook shaken
shine shone .|shoot shot .|show showed shown|shut shut .|sing sang sung|sink sank sunk
sit sat .|sleep slept .|speak spoke spoken|spend spent .|stand stood .|steal stole stolen
stick stuck .|sting stung .|swim swam swum|take took taken|teach taught .|tear tore torn
tell told .|think thought .|throw threw thrown|understand understood .|wake woke woken
wear wore worn|win won .|write wrote written
"""
_PLURALS = {"children": "child", "men": "man", "women": "woman", "people": "person", "feet": "foot",
            "teeth": "tooth", "mice": "mouse", "geese": "goose"}
# Words that look inflected but are not ("seed" is not "see" + "d").
_NOT_INFLECTED = frozenset("""seed need feed speed bleed breed weed news species series bus gas always
sometimes yes lens during thing nothing something anything everything morning evening ceiling""".split())
_CONTRACTIONS = {"n't": "not", "'re": "are", "'ve": "have", "'ll": "will", "'m": "am"}
_SPECIAL = {"can't": ("can", "not"), "won't": ("will", "not"), "shan't": ("shall", "not"), "ain't": ("is", "not")}
_WORD_CHARS = re.compile(r"[^\w'\-]+")
STOPWORDS = frozenset(
    """a an the and or but so if of to in on at by for with from up
about into over after than then that this these those there here it its it's i me my
mine we us our you your he him his she her they them their what which who whom whose
when where why how is am are was were be been being do does did have has had not no
yes will would can could should may might must shall 's 'd very really just also too
all some any more most much many one two go going get got like well oh okay ok um uh
er erm ah hmm mm""".split())


@dataclass(frozen=True)
class Token:
    """One normalised word piece with the timing of the spoken word it came from.

    Contractions become several tokens ("didn't" -> "did", "not") sharing
    ``index``/``start``/``end``/``confidence``; ``raw`` is the spoken word as the
    recogniser wrote it; ``boundary`` is the punctuation written after the spoken
    word ("", ",", ".", "?", "!", "-") and sits on its last piece.
    """

    text: str
    raw: str
    index: int
    start: float
    end: float
    boundary: str = ""
    confidence: float = 1.0

    @property
    def sure(self) -> bool:
        """Whether the recogniser was sure enough of this word to quote it (``evidence.is_sure``)."""
        return is_sure(self.confidence)


# Recognisers spell hesitations freely ("Ummm", "uhh", "Hmmm"); one spelling each.
_FILLER_SPELLINGS = tuple((re.compile(p), c) for p, c in (
    (r"^u+h*m+$", "um"), (r"^u+h+$", "uh"), (r"^e+r+$", "er"), (r"^e+r+m+$", "erm"), (r"^a+h+$", "ah"),
    (r"^h+m+$", "hmm"), (r"^m{2,}$", "mm")))


def normalise(word: str) -> str:
    """Lower-case *word*, straighten apostrophes, drop surrounding punctuation; "Ummm" -> "um"."""
    w = _WORD_CHARS.sub("", word.strip().lower().replace("\u2019", "'").replace("\u2018", "'")).strip("-'")
    for pattern, canonical in _FILLER_SPELLINGS:
        if pattern.match(w):
            return canonical
    return w


def _split_contraction(w: str) -> tuple[str, ...]:
    if w in _SPECIAL:  # "can't" is not "ca" + "not"
        return _SPECIAL[w]
    for suffix, full in _CONTRACTIONS.items():
        if w.endswith(suffix) and len(w) > len(suffix):
            return (w[: -len(suffix)], full)
    for suffix in ("'s", "'d"):
        if w.endswith(suffix) and len(w) > 2 and w != "let's":
            return (w[:-2], suffix)
    return (w,)


_MARKS = {".": ".", "?": "?", "!": "!", "\u2026": ".", ",": ",", ";": ",", ":": ",", "-": "-", "\u2014": "-"}


def _boundary(raw: str) -> str:
    return _MARKS.get(raw.rstrip()[-1:], "")


def _boundaries(transcript: Transcript) -> list[str]:
    """Punctuation after each word, from the word itself or else from ``transcript.text``.

    Engines give bare words ("went") and the punctuated text separately, so each
    word is found in order in the text and the marks right after it are read.
    """
    text = transcript.text.replace("\u2019", "'")
    low, pos, out = text.lower(), 0, []
    for w in transcript.words:
        mark = _boundary(w.shown)
        key = w.text.strip().lower().replace("\u2019", "'").strip(".,!?;:")
        j = low.find(key, pos, pos + len(key) + 60) if key else -1
        if j >= 0:
            pos = j + len(key)
            tail = re.match(r"[^\w\s]*", text[pos:]).group(0)
            mark = mark or _boundary(tail)
        out.append(mark)
    return out


@lru_cache(maxsize=64)
def tokens(transcript: Transcript) -> tuple[Token, ...]:
    """All word pieces of *transcript* in order; words that are only punctuation vanish."""
    out: list[Token] = []
    for i, (w, mark) in enumerate(zip(transcript.words, _boundaries(transcript), strict=True)):
        pieces = [p for p in _split_contraction(normalise(w.text)) if p]
        for k, piece in enumerate(pieces):
            boundary = mark if k == len(pieces) - 1 else ""
            out.append(Token(piece, w.shown.strip(), i, w.start, w.end, boundary, w.confidence))
    return tuple(out)


@lru_cache(maxsize=1)
def irregular_verbs() -> dict[str, tuple[str, str]]:
    """Map base form -> (past simple, past participle) for common irregular verbs."""
    table: dict[str, tuple[str, str]] = {}
    for entry in _IRREGULAR.replace("\n", "|").split("|"):
        if entry.strip():
            base, past, pp = entry.split()
            table[base] = (past, past if pp == "." else pp)
    return table


@lru_cache(maxsize=1)
def _irregular_lemmas() -> dict[str, str]:
    lemmas = dict(_PLURALS)
    for base, (past, pp) in irregular_verbs().items():
        lemmas.setdefault(past, base)
        lemmas.setdefault(pp, base)
    for form in ("is", "am", "are", "were"):
        lemmas[form] = "be"
    lemmas.update({"has": "have", "does": "do", "better": "good", "best": "good", "worse": "bad", "worst": "bad"})
    return lemmas


@lru_cache(maxsize=16384)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of *word* in English (0 = unknown, 7 = "the")."""
    from wordfreq import zipf_frequency  # imported late: it loads its data on first use

    return zipf_frequency(word, "en")


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("es", ""), ("s", ""), ("ed", ""),
             ("ed", "e"), ("ing", ""), ("ing", "e"), ("er", ""), ("est", ""), ("er", "e"), ("est", "e"))


@lru_cache(maxsize=8192)
def lemma(word: str) -> str:
    """Best-guess dictionary form of a normalised *word* ("walked" -> "walk").

    Irregular forms come from tables; otherwise suffixes are stripped and the
    most frequent real English candidate wins, so "hoped" -> "hope", "hopped" -> "hop".
    """
    if word in _irregular_lemmas():
        return _irregular_lemmas()[word]
    if word in _NOT_INFLECTED:
        return word
    candidates = [word]
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= 3:
            stem = word[: -len(suffix)] + repl
            candidates.append(stem)
            if len(stem) > 2 and stem[-1] == stem[-2] and not repl:
                candidates.append(stem[:-1])  # running -> run, bigger -> big
    known = [c for c in candidates if zipf(c) >= 2.5]
    # Prefer a shorter real stem unless the full word is far more common ("news").
    return max(known, key=lambda c: zipf(c) + (0.8 if c != word else 0.0), default=word)


def forms_of(word: str) -> frozenset[str]:
    """The inflected forms of *word* that should count as "using" it.

    Covers plurals and 3rd person (-s/-es/-ies), -ed/-ing/-er/-est (with e-drop,
    y->i and consonant doubling after a short vowel), irregular verb and noun forms.
    """
    w = normalise(word)
    if not w:
        return frozenset()
    forms = {w, w + "s"}
    if w.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(w + "es")
    if w.endswith("e"):
        stem = w[:-1]
        forms.update({w + "d", stem + "ing", w + "r", w + "st"})
    elif w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        stem = w[:-1] + "i"
        forms.update({stem + "es", stem + "ed", w + "ing", stem + "er", stem + "est"})
    else:
        short_vowel = len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou"
        stems = {w, w + w[-1]} if short_vowel else {w}
        forms.update(s + suffix for s in stems for suffix in ("ed", "ing", "er", "est"))
    if w in irregular_verbs():
        forms -= {w + "ed", w + "d", w + w[-1] + "ed"}  # "goed" is a slip, not a use of "go"
        forms.update(irregular_verbs()[w])
    forms.update(k for k, v in _PLURALS.items() if v == w)
    return frozenset(forms)


def content_words(toks: tuple[Token, ...]) -> list[Token]:
    """Tokens that carry meaning: not stop words, fillers, numbers or fragments."""
    return [t for t in toks if t.text not in STOPWORDS and t.text.isalpha() and t.boundary != "-"]


def sentence_spans(toks: tuple[Token, ...], pause_split: float = 1.0) -> list[tuple[int, int]]:
    """Token index ranges [a, b) of sentences.

    Uses the engine's punctuation; when the transcript has none at all, a gap of
    *pause_split* seconds or more ends a sentence instead.
    """
    punctuated = any(t.boundary in ".?!" and t.boundary for t in toks)
    spans, start = [], 0
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        gap = nxt is not None and nxt.start - t.end >= pause_split
        ends = bool(t.boundary) and t.boundary in ".?!" if punctuated else gap
        if ends or nxt is None:
            spans.append((start, i + 1))
            start = i + 1
    return [s for s in spans if s[1] > s[0]]


def mtld(words: list[str], threshold: float = 0.72) -> float:
    """Measure of Textual Lexical Diversity (McCarthy & Jarvis 2010), forward/backward mean.

    Roughly the mean length of word runs keeping a type/token ratio above *threshold*; unlike
    a raw type/token ratio it does not fall as speech gets longer. 0.0 for no words.
    """
    if not words:
        return 0.0

    def one_way(seq: list[str]) -> float:
        factors, types, count = 0.0, set(), 0
        for w in seq:
            types.add(w)
            count += 1
            if len(types) / count <= threshold:
                factors, types, count = factors + 1, set(), 0
        if count:
            ttr = len(types) / count
            factors += (1 - ttr) / (1 - threshold) if ttr < 1 else 0.0
        return len(seq) / factors if factors else float(len(seq))

    return (one_way(words) + one_way(words[::-1])) / 2


# Words below this Zipf frequency are "less common" (roughly: rarer than 1 in
# 100,000 words, e.g. "volcano", "enormous"; "school" and "friend" are above).
LESS_COMMON_ZIPF = 4.0
# Share of less-common content words -> approximate CEFR-like band. Calibrated by
# eye on graded-reader word lists; a rough guide, never a certificate.
_LEVEL_BANDS = ((0.05, "A1"), (0.10, "A2"), (0.17, "B1"), (0.25, "B2"))


def vocabulary_profile(transcript: Transcript) -> dict:
    """Lexical diversity (MTLD) and word-frequency level of the content words.

    Guarantees: counts are over content words only; ``less_common_examples`` are
    the student's own words, rarest first, each with its first timestamp. A word
    the recogniser was unsure of is never less common: a mis-heard word often looks rare.
    """
    toks = tokens(transcript)
    words = [t.text for t in toks if t.text.isalpha()]
    content = content_words(toks)
    rare: dict[str, Token] = {}
    for t in content:
        # Judge the dictionary form: "swam" is rare on paper but "swim" is not.
        z = zipf(lemma(t.text))
        if 0 < z < LESS_COMMON_ZIPF and t.sure and t.text not in rare:
            rare[t.text] = t
    rare_count = sum(1 for t in content if t.text in rare and t.sure)
    share = rare_count / len(content) if content else 0.0
    level = next((name for limit, name in _LEVEL_BANDS if share < limit), "C1")
    examples = sorted(rare.values(), key=lambda t: zipf(lemma(t.text)))[:8]
    return {
        "word_count": len(words), "unique_words": len(set(words)), "mtld": round(mtld(words), 1),
        "mtld_reliable": len(words) >= 50,  # MTLD is noisy below ~50 words
        "content_word_count": len(content), "less_common_count": rare_count, "less_common_share": round(share, 3),
        "approx_level": level if content else None,
        "less_common_examples": [{"word": t.text, "start": round(t.start, 2)} for t in examples],
    }
