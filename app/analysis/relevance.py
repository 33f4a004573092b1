"""How well the speech stays on the teacher's topic, from the words alone.

Offline and explainable: the prompt's content words (as dictionary forms) are
weighted by rarity (wordfreq), a small hand-made list adds related words for
common school topics, and the speech is checked for those words in any
inflection. It cannot see meaning: a relevant speech in unexpected words scores
low, and an off-topic speech that repeats the prompt's words scores high.
"""
from __future__ import annotations

from functools import lru_cache

from .engines.base import Transcript
from .language import STOPWORDS, content_words, lemma, normalise, sentence_spans, tokens, zipf

# Words of the instruction itself, not of the topic ("Talk about ...").
INSTRUCTION_WORDS = frozenset(
    """talk tell describe explain speak think say give reason reasons
example examples opinion minute minutes second seconds someone something thing things why
favourite favorite one time ask question answer speech use try good bad best worst""".split()
)

# Related words for topics children are often asked about; keys are lemmas.
TOPIC_EXPANSION: dict[str, tuple[str, ...]] = {
    "holiday": ("trip", "travel", "beach", "vacation", "summer", "hotel", "visit", "sea", "plane", "swim"),
    "school": ("teacher", "class", "lesson", "homework", "subject", "student", "friend", "learn", "classroom"),
    "family": ("mother", "father", "mum", "dad", "sister", "brother", "parent", "grandmother", "grandma", "cousin"),
    "animal": ("dog", "cat", "pet", "bird", "horse", "fish", "rabbit", "lion", "zoo", "wild"),
    "pet": ("dog", "cat", "rabbit", "hamster", "fish", "feed", "walk", "care"),
    "food": ("eat", "cook", "pizza", "fruit", "vegetable", "meal", "breakfast", "dinner", "lunch", "taste"),
    "sport": ("football", "play", "team", "match", "game", "win", "run", "swim", "basketball", "tennis"),
    "hobby": ("play", "draw", "read", "music", "game", "free", "weekend", "collect", "paint"),
    "weather": ("rain", "sun", "sunny", "cold", "hot", "snow", "wind", "cloud", "season", "temperature"),
    "environment": ("pollution", "recycle", "plastic", "climate", "nature", "tree", "planet", "waste", "energy"),
    "technology": ("phone", "computer", "internet", "robot", "screen", "app", "online", "video", "game"),
    "friend": ("friendship", "together", "play", "trust", "help", "share", "kind"),
    "book": ("read", "story", "author", "character", "library", "page", "chapter"),
    "music": ("song", "sing", "instrument", "guitar", "piano", "band", "listen", "dance"),
    "city": ("town", "street", "building", "park", "shop", "bus", "live", "place"),
    "future": ("job", "grow", "become", "dream", "plan", "will", "career", "want"),
    "job": ("work", "career", "doctor", "teacher", "become", "money", "office"),
    "health": ("healthy", "exercise", "sleep", "doctor", "fruit", "vegetable", "sport", "body"),
    "weekend": ("saturday", "sunday", "relax", "visit", "play", "sleep", "family"),
    "birthday": ("party", "cake", "present", "gift", "celebrate", "candle", "friend"),
    "film": ("movie", "watch", "cinema", "actor", "story", "character"),
    "nature": ("tree", "forest", "river", "mountain", "animal", "flower", "park"),
}
EXPANSION_CREDIT = 0.6  # a related word shows the topic, but less surely than its own word


@lru_cache(maxsize=256)
def _weight(term: str) -> float:
    """Rarer words say more about a topic: "volcano" outweighs "day"."""
    return max(0.2, min(1.5, (7.0 - zipf(term)) / 3.0))


def topic_terms(*texts: str) -> dict[str, float]:
    """Lemmas of the content words of *texts* (prompt, title) with their rarity weight."""
    terms: dict[str, float] = {}
    for text in texts:
        for raw in text.split():
            w = normalise(raw)
            if not w.isalpha() or w in STOPWORDS or w in INSTRUCTION_WORDS:
                continue
            base = lemma(w)
            if base not in INSTRUCTION_WORDS and base not in STOPWORDS:
                terms[base] = _weight(base)
    return terms


def relevance(transcript: Transcript, prompt: str, title: str = "", extra_terms: tuple[str, ...] = ()) -> dict:
    """Relevance of the speech to the topic, 0..1, with the words that showed it.

    ``coverage``: weighted share of the prompt's topic words the student used
    (a related word earns EXPANSION_CREDIT of its topic word).
    ``focus``: share of the student's content words that are topic or related words.
    ``score`` = 0.6 * min(1, coverage / 0.6) + 0.4 * min(1, focus / 0.2).
    """
    terms = topic_terms(prompt, title, *extra_terms)
    content = content_words(tokens(transcript))
    spoken = {}
    for t in content:
        # Each word's first use, or its first use the recogniser was sure of: feedback quotes that one.
        first = spoken.get(lemma(t.text))
        if first is None or (t.sure and not first.sure):
            spoken[lemma(t.text)] = t
    related = {r: base for base in terms for r in TOPIC_EXPANSION.get(base, ())}
    credit, used = 0.0, []
    for base, weight in terms.items():
        hit = spoken.get(base)
        via = next((spoken[r] for r in TOPIC_EXPANSION.get(base, ()) if r in spoken), None)
        if hit or via:
            credit += weight * (1.0 if hit else EXPANSION_CREDIT)
            t = hit or via
            used.append({"term": base, "said": t.text, "start": round(t.start, 2), "related": hit is None,
                         "sure": t.sure})
    topic_tokens = sum(1 for t in content if lemma(t.text) in terms or lemma(t.text) in related)
    total = sum(terms.values())
    coverage = credit / total if total else 0.0
    focus = topic_tokens / len(content) if content else 0.0
    score = 0.6 * min(1.0, coverage / 0.6) + 0.4 * min(1.0, focus / 0.2) if content else 0.0
    return {
        "score": round(score, 3),
        "coverage": round(coverage, 3),
        "focus": round(focus, 3),
        "topic_terms": sorted(terms),
        "terms_used": used,
        "terms_missing": sorted(set(terms) - {u["term"] for u in used}),
        "method": "lexical",
        "applicable": bool(terms),  # no prompt, no topic words: nothing to be relevant to
        "reliable": len(terms) >= 2 and len(content) >= 15,
        "opening_on_topic": _opening_on_topic(transcript, terms, related),
    }


def _opening_on_topic(transcript: Transcript, terms: dict, related: dict) -> bool:
    """Whether the first sentence mentions a topic or related word (a clear opening)."""
    toks = tokens(transcript)
    spans = sentence_spans(toks)
    if not spans:
        return False
    a, b = spans[0]
    return any(lemma(t.text) in terms or lemma(t.text) in related for t in toks[a:b])
