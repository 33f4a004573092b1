"""The teacher's curriculum against the speech: target words, grammar focus, rubric.

Every judgement quotes the student's words with a time, or says plainly that
audio cannot show it (eye contact, gestures, slides ...).
"""
from __future__ import annotations

from typing import Mapping

from .context import GRAMMAR_STRUCTURES, Curriculum, RubricCriterion
from .engines.base import Transcript
from .language import Token, forms_of, lemma, normalise, tokens

# Rubric words -> the report's skill scores that measure them. Matched as
# substrings of the criterion's name and description, lower-cased.
SKILL_KEYWORDS: dict[str, tuple[str, ...]] = {
    "fluency": ("fluen", "pace", "speed", "smooth", "pause", "hesitat", "filler", "flow", "rate", "delivery"),
    "vocabulary": ("vocab", "word choice", "range of words", "lexical", "variety of words", "expressions"),
    "grammar": ("grammar", "tense", "accura", "sentence structure", "accurate"),
    "relevance": ("topic", "relevan", "content", "ideas", "on task", "answer", "task achievement", "idea"),
    "structure": ("structur", "organi", "coheren", "linking", "connect", "introduc", "conclu", "sequenc", "logical"),
    "target_vocabulary": ("target word", "key word", "unit word", "new word", "target vocab", "keywords"),
    "grammar_focus": ("target grammar", "grammar focus", "focus structure", "unit grammar"),
}
# Things a teacher assesses by watching or listening to the voice quality.
NOT_FROM_AUDIO: tuple[str, ...] = (
    "eye contact", "body language", "gesture", "posture", "visual", "slide", "prop", "appearance", "smile",
    "facial", "stance", "poster", "handwriting", "pronunciation", "intonation", "volume", "loud", "projection",
    "confiden",
)


def _phrase_hits(toks: tuple[Token, ...], target: str) -> list[Token]:
    """Start tokens where *target* (one word or a phrase) was said, any word inflected.

    Only where the recogniser was sure of every word: target words are given to it as
    hints, and a hinted word it was unsure of is often one it wanted to hear.
    """
    parts = [normalise(p) for p in target.split() if normalise(p)]
    if not parts:
        return []
    allowed = [forms_of(p) | forms_of(lemma(p)) for p in parts]
    hits = []
    for i in range(len(toks) - len(parts) + 1):
        if all(toks[i + k].text in allowed[k] and toks[i + k].sure for k in range(len(parts))):
            hits.append(toks[i])
    return hits


def target_words(transcript: Transcript, vocabulary: tuple[str, ...]) -> list[dict]:
    """For each target word: whether it was used, how often, the forms heard and when."""
    toks = tokens(transcript)
    result = []
    for word in vocabulary:
        hits = _phrase_hits(toks, word)
        result.append(
            {
                "word": word,
                "used": bool(hits),
                "count": len(hits),
                "forms_heard": sorted({h.raw.strip(".,!?;:").lower() for h in hits}),
                "times": [round(h.start, 2) for h in hits[:5]],
                "indices": [h.index for h in hits],
            }
        )
    return result


def grammar_focus(evidence: Mapping[str, dict], focus: tuple[str, ...]) -> list[dict]:
    """For each focus key: whether the structure was heard, with quoted examples."""
    out = []
    for key in focus:
        ev = evidence.get(key)
        if ev is None:
            out.append(
                {
                    "key": key,
                    "label": GRAMMAR_STRUCTURES.get(key, key),
                    "used": False,
                    "count": 0,
                    "examples": [],
                    "note": "This structure cannot be checked automatically.",
                }
            )
            continue
        out.append(
            {
                "key": key,
                "label": ev["label"],
                "used": ev["count"] > 0,
                "count": ev["count"],
                "examples": ev["examples"],
            }
        )
    return out


def _skill_inputs(
    scores: Mapping[str, dict], targets: list[dict], focus: list[dict]
) -> dict[str, tuple[float, str] | None]:
    """Each rubric skill's 0-100 value and the evidence behind it (None if not available)."""
    skills: dict[str, tuple[float, str] | None] = {
        k: (scores[k]["score"], f"{k} score {scores[k]['score']}")
        for k in ("fluency", "vocabulary", "grammar", "relevance", "structure")
    }
    used = sum(t["used"] for t in targets)
    skills["target_vocabulary"] = (
        (100.0 * used / len(targets), f"{used} of {len(targets)} target words used") if targets else None
    )
    heard = sum(f["used"] for f in focus)
    skills["grammar_focus"] = (
        (100.0 * heard / len(focus), f"{heard} of {len(focus)} focus structures heard") if focus else None
    )
    return skills


def score_rubric(
    rubric: tuple[RubricCriterion, ...], scores: Mapping[str, dict], targets: list[dict], focus: list[dict]
) -> dict:
    """Score each criterion 0-100 from the skills its words name.

    A criterion naming several skills gets their mean. One naming only things
    audio cannot show is ``measurable: False`` with ``score: None``; the total
    is the weight-averaged score of the measurable criteria (None if none are).
    """
    skills = _skill_inputs(scores, targets, focus)
    rows, weighted, weight_sum = [], 0.0, 0.0
    for c in rubric:
        text = f"{c.name} {c.description}".lower()
        names = [s for s, keys in SKILL_KEYWORDS.items() if any(k in text for k in keys) and skills.get(s)]
        unmeasurable = [k for k in NOT_FROM_AUDIO if k in text]
        row = {"name": c.name, "weight": c.weight, "skills": names, "evidence": [skills[s][1] for s in names]}
        if names:
            row["score"] = round(sum(skills[s][0] for s in names) / len(names))
            row["measurable"] = True
            weighted, weight_sum = weighted + row["score"] * c.weight, weight_sum + c.weight
        else:
            row["score"], row["measurable"] = None, False
        if unmeasurable or not names:
            row["note"] = (
                "Not measurable from audio: " + ", ".join(unmeasurable) + ". Please assess this yourself."
                if unmeasurable
                else "We could not link this criterion to anything we measure. Please assess it yourself."
            )
        rows.append(row)
    total = round(weighted / weight_sum) if weight_sum else None
    return {"criteria": rows, "score": total, "measured_weight": weight_sum}


def check_curriculum(
    transcript: Transcript, curriculum: Curriculum, evidence: Mapping[str, dict], scores: Mapping[str, dict]
) -> dict | None:
    """The report's ``curriculum`` section, or None when the curriculum is empty."""
    if curriculum.is_empty:
        return None
    targets = target_words(transcript, curriculum.vocabulary)
    focus = grammar_focus(evidence, curriculum.grammar_focus)
    return {
        "target_words": targets,
        "target_words_used": sum(t["used"] for t in targets),
        "target_words_total": len(targets),
        "grammar_focus": focus,
        "grammar_notes": curriculum.grammar_notes,
        "rubric": score_rubric(curriculum.rubric, scores, targets, focus) if curriculum.rubric else None,
    }
