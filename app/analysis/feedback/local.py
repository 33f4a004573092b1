"""Deterministic feedback written from the numbers, in words kind to a child.

Same analysis in, same feedback out. Every strength and improvement points at
something the student actually said, with its time ("at 0:12"), and quotes or
names only words the recogniser was sure of (app/analysis/evidence.py): a point
whose only evidence is unsure is left out, or made without a quote.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

from ..norms import NOTE_WPM, pace_range
from ..rounding import whole
from ..wording import plural
from . import FeedbackResult, validate_feedback

Point = tuple[float, str, dict]  # (priority, key, {"text", "quote", "start"})

NEXT_STEPS = {
    "short": "Practise with a timer: talk about a picture or a favourite thing until the timer rings.",
    "fillers": 'Record yourself for 30 seconds and count your "um"s. Next time, close your mouth and pause instead.',
    "pauses": "Before you start, plan three things to say: a beginning, a middle and an end.",
    "slow": "Read a short story out loud every day to help your words flow a little faster.",
    "fast": "Take a breath at every full stop, and let each idea land before the next one.",
    "repeats": "If you lose your words, stop, take a breath and carry on instead of repeating.",
    "grammar": "Write down the sentence from your feedback the right way and say it out loud three times.",
    "topic": "Before speaking, write down three words from the question and use each of them.",
    "linking": 'Use "first", "because" and "finally" to join your ideas next time.',
    "vocabulary": "Pick two new words about the topic before you speak, and try to use both.",
    "longer": "Plan one extra example for each idea, so your speech fills the time.",
}
GENERIC_STEPS = (
    "Give yourself one minute to plan, then speak about the topic again and compare.",
    "Listen to your recording and choose one sentence you could say even better.",
)


def mmss(seconds: float | None) -> str:
    """Seconds as "m:ss" for a child-readable timestamp."""
    s = int(round(seconds or 0))
    return f"{s // 60}:{s % 60:02d}"


def _sentence_at(a: Mapping, t: float | None) -> dict | None:
    """The sentence being spoken at time *t* (or the first one when *t* is None)."""
    sents = a["details"]["sentences"]
    if not sents:
        return None
    if t is None:
        return sents[0]
    return next((s for s in sents if s["start"] <= t <= s["end"] + 0.01), sents[-1])


def _sure_part(sentence: dict | None, at: float | None = None) -> tuple[str | None, float | None]:
    """(quote, start) of what may be quoted of *sentence* (its sure part, holding the moment *at* if given)."""
    part = sentence.get("quote") if sentence else None
    if not part or (at is not None and not part["start"] <= at <= part["end"] + 0.01):
        return None, None
    return part["text"], part["start"]


def _point(text: str, quote: str | None, start: float | None) -> dict:
    return {"text": text, "quote": quote, "start": round(start, 2) if start is not None else None}


def _pt(priority: float, key: str, text: str, quote: str | None, start: float | None) -> Point:
    return (priority, key, _point(text, quote, start))


# A general point's other sentences, best first; taken off again by _vary_quotes.
_ALTERNATIVES = "_alternatives"
# Which general point picks its sentence first: the sharper its evidence, the earlier.
_QUOTE_ORDER = ("slow", "fast", "short", "longer", "linking", "topic", "pace", "fillers")


def _pt_any(priority: float, key: str, text: str, ranked: list[dict]) -> Point:
    """A point that any of the *ranked* sentences illustrates (best first); see _vary_quotes.

    Each sentence offers its sure part; with none to offer the point is made without a quote.
    """
    parts = [{"text": q, "start": t} for q, t in map(_sure_part, ranked) if q]
    if not parts:
        return _pt(priority, key, text, None, None)
    point = _point(text, parts[0]["text"], parts[0]["start"])
    point[_ALTERNATIVES] = parts[1:]
    return (priority, key, point)


def _vary_quotes(points: list[Point]) -> list[dict]:
    """The points' dicts in order, each general one quoting its best sentence that is quoted least.

    Points about one moment (a filler, a slip) keep their quote; a general point (pace,
    length, linking) can be shown by several sentences, and four points all quoting the
    first sentence would read like a form letter and show the student less.
    """
    out = [dict(p) for _, _, p in points]
    times_quoted = Counter(p["quote"] for p in out if _ALTERNATIVES not in p)
    general = [i for i, p in enumerate(out) if _ALTERNATIVES in p]
    for i in sorted(general, key=lambda i: _QUOTE_ORDER.index(points[i][1])):
        point = out[i]
        ranked = [{"text": point["quote"], "start": point["start"]}, *point.pop(_ALTERNATIVES)]
        pick = min(ranked, key=lambda s: times_quoted[s["text"]])  # the first of the least quoted
        point.update(quote=pick["text"], start=round(pick["start"], 2))
        times_quoted[pick["text"]] += 1
    return out


def _holds_any(sentence: dict, times) -> bool:
    """True when one of *times* (seconds) falls within *sentence*."""
    return any(sentence["start"] <= t <= sentence["end"] for t in times)


def _words_per_second(sentence: dict) -> float:
    return len(sentence["text"].split()) / max(sentence["end"] - sentence["start"], 0.1)


def _by_pace(a: Mapping, slowest_first: bool) -> list[dict]:
    """Sentences of three words or more, slowest (or fastest) first; all sentences when none is that long."""
    sents = a["details"]["sentences"]
    longer = [s for s in sents if len(s["text"].split()) >= 3] or sents
    return sorted(longer, key=_words_per_second, reverse=not slowest_first)


def _without_topic_words(a: Mapping) -> list[dict]:
    """Sentences with no word from the topic first (where it drifted), then the rest."""
    times = [t["start"] for t in a["relevance"]["terms_used"]]
    return sorted(a["details"]["sentences"], key=lambda s: _holds_any(s, times))


def _strengths(a: Mapping) -> list[Point]:
    m, s, out = a["metrics"], a["scores"], []
    enough = m["word_count"] >= 20
    filler_times = {f["start"] for f in a["details"]["fillers"]}
    # Long sentences first, those without a filler in them before the rest.
    longest = sorted(a["details"]["sentences"], reverse=True,
                     key=lambda x: (not _holds_any(x, filler_times), len(x["text"])))
    if enough and 110 <= m["words_per_minute"] <= 170 and longest:
        out.append(_pt_any(s["fluency"]["parts"]["pace"], "pace",
                           f"You spoke at a comfortable speed, about {whole(m['words_per_minute'])} words a minute, "
                           "so you were easy to follow.", longest))
    if enough and m["fillers_per_100_words"] <= 2 and longest:
        out.append(_pt_any(90, "fillers", 'You hardly used filler words like "um", so you sounded sure of yourself.',
                           longest))
    rare = a["details"]["less_common_examples"]
    if rare:
        names = " and ".join(f'"{r["word"]}"' for r in rare[:2])
        out.append(_pt(s["vocabulary"]["score"] + 10, "vocabulary", f"You used interesting words, like {names}.",
                       rare[0]["word"], rare[0]["start"]))
    grammar = _grammar_strength(a)
    if grammar:
        out.append(grammar)
    rel = a["relevance"]
    sure_terms = [t for t in rel["terms_used"] if t["sure"]]
    if rel["score"] >= 0.6 and sure_terms:
        t = sure_terms[0]
        quote, _ = _sure_part(_sentence_at(a, t["start"]), t["start"])
        out.append(_pt(s["relevance"]["score"], "topic",
                       f'You stayed on the topic, for example when you talked about "{t["said"]}".',
                       quote, t["start"]))
    linkers = a["grammar"]["structures"]["linking_words"]
    if m["distinct_linking_words"] >= 2 and linkers["examples"]:
        ex = linkers["examples"][0]
        used = " and ".join(f'"{w}"' for w in a["details"]["linking_words"][:2])
        out.append(_pt(s["structure"]["score"] + 5, "linking", f"You joined your ideas with linking words like {used}.",
                       ex["quote"], ex["start"]))
    return out


_PRAISE_ORDER = ("passive_voice", "present_perfect", "conditionals", "comparatives", "future_forms",
                 "modal_verbs", "past_simple")


def _grammar_strength(a: Mapping) -> Point | None:
    """Praise for the most advanced structure heard (curriculum focus first), never quoting a slip."""
    focus = {g["key"] for g in (a.get("curriculum") or {}).get("grammar_focus", ())}
    slips = [(e["start"], e["end"]) for e in a["grammar"]["errors"]]
    for key in sorted(_PRAISE_ORDER, key=lambda k: (k not in focus, _PRAISE_ORDER.index(k))):
        ev = a["grammar"]["structures"][key]
        good = [x for x in ev["examples"] if not any(lo <= x["end"] and x["start"] <= hi for lo, hi in slips)]
        if good:
            label = ev["label"].split(" (")[0].lower()
            article = "" if label.endswith("s") else "the "
            return _pt(a["scores"]["grammar"]["score"] + 15, "grammar", f"You used {article}{label}: well done!",
                       good[0]["quote"], good[0]["start"])
    return None


def _improvements(a: Mapping) -> list[Point]:
    m, s, out = a["metrics"], a["scores"], []
    first = _sentence_at(a, None)
    amount = s["overall"]["amount"]
    if amount < 1 and first:
        need = int(s["fluency"]["inputs"]["expected_words"])
        # Quoted: where the speech stopped, which is where the next idea could have come.
        out.append(_pt_any(40 + 100 * (1 - amount), "short", f"Your speech was short: {m['word_count']} words. "
                           f"Try to say at least {need} words next time.", a["details"]["sentences"][::-1]))
    fillers = a["details"]["fillers"]
    if m["fillers_per_100_words"] > 4 and fillers:
        priority, said = 120 - s["fluency"]["parts"]["fillers"], f'You used filler words {m["filler_count"]} times'
        f = next((f for f in fillers if f["sure"]), None)
        if f is None:  # none heard surely enough to name: the count alone
            out.append(_pt(priority, "fillers", f"{said}. It's fine to pause quietly instead.", None, None))
        else:
            quote, _ = _sure_part(_sentence_at(a, f["start"]), f["start"])
            out.append(_pt(priority, "fillers", f'{said}, like "{f["text"]}" at {mmss(f["start"])}. '
                           "It's fine to pause quietly instead.", quote, f["start"]))
    long = sorted((p for p in a["pauses"] if p["is_long"]), key=lambda p: -p["length"])
    if long:
        p = long[0]
        after = p["after"].rstrip(".,!?")
        where = f'after "{after}" at' if p["after_sure"] else "at"
        out.append(_pt(max(45, 120 - s["fluency"]["parts"]["long_pauses"]), "pauses",
                       f'You stopped for {p["length"]:.1f} seconds {where} {mmss(p["start"])}. '
                       "Planning your ideas first helps the words keep coming.",
                       p["after"] if p["after_sure"] else None, p["start"]))
    wpm = m["words_per_minute"]
    if m["word_count"] and not NOTE_WPM[0] <= wpm <= NOTE_WPM[1] and first:
        key = "slow" if wpm < NOTE_WPM[0] else "fast"
        text = "You spoke quite slowly" if key == "slow" else "You spoke very fast"
        out.append(_pt_any(110 - s["fluency"]["parts"]["pace"], key, f"{text} (about {whole(wpm)} words a minute). "
                           f"Most listeners like {pace_range().replace('–', ' to ')}.",
                           _by_pace(a, slowest_first=key == "slow")))
    reps = [r for r in a["details"]["repetitions"] if r["sure"]]
    if len(reps) >= 2:
        r = reps[0]
        out.append(_pt(60, "repeats", f'You repeated some words, like "{r["text"]}" at {mmss(r["start"])}.',
                       r["text"], r["start"]))
    if a["grammar"]["errors"]:
        e = a["grammar"]["errors"][0]
        out.append(_pt(75, "grammar", f'At {mmss(e["start"])} you said "{e["quote"].rstrip(".,!?")}". '
                       f'We say "{e["suggestion"]}".', e["quote"], e["start"]))
    out += _shape_improvements(a, first)
    return out


def _shape_improvements(a: Mapping, first: dict | None) -> list[Point]:
    """Topic, length and linking advice: gentler points that matter once the basics are there."""
    m, s, rel, out = a["metrics"], a["scores"], a["relevance"], []
    if not first:
        return out
    if rel["score"] < 0.5 and rel["topic_terms"]:
        words = " and ".join(f'"{w}"' for w in (rel["terms_missing"] or rel["topic_terms"])[:2])
        out.append(_pt_any(100 - s["relevance"]["score"], "topic", "Try to talk more about the topic. "
                           f"Words from the question, like {words}, will help.", _without_topic_words(a)))
    span, asked = m["speech_span"], a["task"]["speaking_seconds"]
    if m["word_count"] and span < 0.8 * asked and s["overall"]["amount"] >= 1:
        out.append(_pt_any(20, "longer", f"Your speech lasted {whole(span)} seconds and the task asked for about "
                           f"{asked}. Add one more idea or example.", a["details"]["sentences"][::-1]))
    if m["distinct_linking_words"] < 2 and m["sentence_count"] >= 2:
        ideas = [w for w in ("because", "so", "first", "finally", "also") if w not in a["details"]["linking_words"]]
        # Quoted: the start of a later sentence, where two ideas meet and a linking word could go.
        sents = a["details"]["sentences"]
        out.append(_pt_any(40 - s["structure"]["parts"]["linking"] / 4, "linking", "Join your ideas with linking "
                           "words like " + ", ".join(f'"{w}"' for w in ideas[:3]) + ".", sents[1:] + sents[:1]))
    return out


def _curriculum_remarks(a: Mapping) -> list[str]:
    c = a.get("curriculum")
    if not c:
        return []
    out = []
    targets = c["target_words"]
    if targets:
        used = [f'"{t["word"]}" ({mmss(t["times"][0])})' for t in targets if t["used"]]
        missing = [f'"{t["word"]}"' for t in targets if not t["used"]]
        line = f"You used {len(used)} of {len(targets)} target words" + (f": {', '.join(used[:4])}." if used else ".")
        out.append(line + (f" Next time try {', '.join(missing[:3])}." if missing else " Brilliant!"))
    for g in c["grammar_focus"][:3]:
        if g["used"]:
            ex = g["examples"][0]
            out.append(f'{g["label"]}: heard {plural(g["count"], "time")}, e.g. "{ex["quote"]}" ({mmss(ex["start"])}).')
        else:
            out.append(f"{g['label']}: we did not hear it yet. Try one sentence with it next time.")
    rubric = c.get("rubric") or {}
    for row in rubric.get("criteria", []):
        if not row["measurable"]:
            out.append(f"{row['name']}: your teacher will assess this (it can't be heard in a recording).")
    return out[:5]


def _summary(a: Mapping) -> str:
    m, s = a["metrics"], a["scores"]
    if m["word_count"] == 0:
        return "We could not hear any words in this recording, so there is no report yet. Please try again."
    areas = {k: s[k]["score"] for k in ("fluency", "vocabulary", "grammar", "relevance", "structure")}
    best, worst = max(areas, key=areas.get), min(areas, key=areas.get)
    topic = a["task"]["title"] or "your topic"
    return (
        f'You spoke for {whole(m["speech_span"])} seconds about "{topic}" and said {m["word_count"]} words. '
        f"Your overall score is {s['overall']['score']} out of 100. Your strongest area was {best}"
        + (f", and the one to work on next is {worst}." if worst != best else ".")
    )


def _top(points: list[Point], n: int) -> list[Point]:
    # Stable order: priority first, then key, so equal priorities never shuffle.
    return sorted(points, key=lambda p: (-p[0], p[1]))[:n]


class LocalWriter:
    """The default writer: no network, no randomness."""

    name = "local"

    def write(self, analysis: Mapping[str, Any], private_names: Iterable[str] = ()) -> FeedbackResult:
        """Feedback in the shared shape; always at least one strength, improvement and two next steps."""
        strengths = _top(_strengths(analysis), 3)
        improvements = _top(_improvements(analysis), 3)
        sents = analysis["details"]["sentences"]
        first, last = (sents[0], sents[-1]) if sents else (None, None)
        if not strengths:
            strengths = [_pt(0, "try", "You recorded your speech and had a go: that takes courage!",
                             *_sure_part(first))]
        if not improvements:
            improvements = [_pt(0, "example", "To go further, add an example or a reason to each idea.",
                                *_sure_part(last))]
        steps = [NEXT_STEPS[k] for _, k, _ in improvements if k in NEXT_STEPS][:3]
        steps += list(GENERIC_STEPS[: max(0, 2 - len(steps))])
        quoted = _vary_quotes(strengths + improvements)
        feedback = {"summary": _summary(analysis), "strengths": quoted[: len(strengths)],
                    "improvements": quoted[len(strengths):], "next_steps": steps,
                    "curriculum": _curriculum_remarks(analysis)}
        return FeedbackResult(validate_feedback(feedback), self.name)
