"""The language and pronunciation sections of a class summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from typing import Callable

from app.models import CurriculumGoal

from .queries import SessionRow
from .stats import describe, mean, rounded
from .students import LEVELS, StudentFigures

LOW_ACCURACY = 60.0  # a word or sound scored below this counts as mispronounced
TOP_N = 8

# ARPAbet (local engine) and SAPI (Azure) names to IPA, so both engines' sounds add up.
ARPABET_IPA = {
    "AA": "ɑ",
    "AE": "æ",
    "AH": "ʌ",
    "AO": "ɔ",
    "AW": "aʊ",
    "AX": "ə",
    "AY": "aɪ",
    "B": "b",
    "CH": "tʃ",
    "D": "d",
    "DH": "ð",
    "EH": "ɛ",
    "ER": "ɝ",
    "EY": "eɪ",
    "F": "f",
    "G": "ɡ",
    "H": "h",
    "HH": "h",
    "IH": "ɪ",
    "IY": "iː",
    "JH": "dʒ",
    "K": "k",
    "L": "l",
    "M": "m",
    "N": "n",
    "NG": "ŋ",
    "OW": "oʊ",
    "OY": "ɔɪ",
    "P": "p",
    "R": "r",
    "S": "s",
    "SH": "ʃ",
    "T": "t",
    "TH": "θ",
    "UH": "ʊ",
    "UW": "uː",
    "V": "v",
    "W": "w",
    "Y": "j",
    "Z": "z",
    "ZH": "ʒ",
}
IPA_ALIASES = {"ɹ": "r", "i": "iː", "u": "uː", "g": "ɡ", "ɚ": "ɝ"}
SOUND_SKILLS = {
    "θ": "sound_th_voiceless",
    "ð": "sound_th_voiced",
    "v": "sound_v_w",
    "w": "sound_v_w",
    "r": "sound_r_l",
    "l": "sound_r_l",
    "ɪ": "sound_i_ee",
    "iː": "sound_i_ee",
    "æ": "sound_ae_uh",
    "ʌ": "sound_ae_uh",
    "ŋ": "sound_ng",
    "t": "sound_endings",
    "d": "sound_endings",
    "s": "sound_endings",
    "z": "sound_endings",
}
Redact = Callable[[str], str]


@lru_cache(maxsize=512)
def to_ipa(phoneme: str) -> str:
    name = "".join(ch for ch in phoneme.strip() if not ch.isdigit())
    ipa = ARPABET_IPA.get(name.upper(), name)
    return IPA_ALIASES.get(ipa, ipa)


def language_section(
    figs: list[StudentFigures], talks: list[SessionRow], goal: CurriculumGoal | None, redact: Redact
) -> dict:
    levels = Counter(f.level for f in figs if f.level)
    # "Mostly at B1" only when more than half the students with a level are at it.
    common = max(levels, key=lambda lv: (levels[lv], LEVELS.index(lv))) if levels else None
    typical = common if common and levels[common] * 2 > sum(levels.values()) else None
    return {
        "lexical_diversity": describe(f.metric_mean("mtld") for f in figs),
        "vocabulary_level": {"students": {lv: levels.get(lv, 0) for lv in LEVELS}, "typical": typical},
        "curriculum_words": _curriculum_words(talks, goal),
        "grammar_focus": _grammar_focus(talks, goal, redact),
        "rubric": _rubric(talks),
    }


def _curriculum_words(talks: list[SessionRow], goal: CurriculumGoal | None) -> dict:
    """Each unit word: in how many talks and by how many students it was heard."""
    planned = [w.strip() for w in (goal.vocabulary if goal else []) or [] if w and w.strip()]
    sessions: Counter[str] = Counter()
    students: dict[str, set[int]] = defaultdict(set)
    checked = 0
    for row in talks:
        words = (row.curriculum or {}).get("target_words") or []
        checked += bool(words)
        for item in words:
            key = str(item.get("word", "")).lower()
            if item.get("used"):
                sessions[key] += 1
                students[key].add(row.student_id)
    # The current unit's words first; words from older units still show if students used them.
    names = planned + sorted(w for w in sessions if w not in {p.lower() for p in planned})
    rows = [{"word": w, "talks": sessions[w.lower()], "students": len(students[w.lower()])} for w in names]
    used = [r["word"] for r in rows if r["talks"]]
    never = [w for w in planned if not sessions[w.lower()]]
    return {
        "words": rows,
        "used": used,
        "never_used": never,
        "talks_checked": checked,
        "coverage": rounded(100.0 * (len(planned) - len(never)) / len(planned)) if planned else None,
    }


def _grammar_focus(talks: list[SessionRow], goal: CurriculumGoal | None, redact: Redact) -> list[dict]:
    from app.analysis.context import GRAMMAR_STRUCTURES

    keys = list((goal.grammar_focus if goal else []) or [])
    evidence: dict[str, dict] = {k: {"checked": 0, "heard": 0, "students": set(), "examples": []} for k in keys}
    for row in talks:
        for item in (row.curriculum or {}).get("grammar_focus") or []:
            entry = evidence.get(item.get("key"))
            if entry is None:
                continue
            entry["checked"] += 1
            if item.get("used"):
                entry["heard"] += 1
                entry["students"].add(row.student_id)
                if len(entry["examples"]) < 3 and item.get("examples"):
                    entry["examples"].append(redact(str(item["examples"][0].get("quote", ""))))
    return [
        {
            "key": k,
            "label": GRAMMAR_STRUCTURES.get(k, k.replace("_", " ")),
            "talks_checked": e["checked"],
            "talks_heard": e["heard"],
            "students_heard": len(e["students"]),
            "share": rounded(100.0 * e["heard"] / e["checked"]) if e["checked"] else None,
            "examples": e["examples"],
        }
        for k, e in evidence.items()
    ]


def _rubric(talks: list[SessionRow]) -> list[dict]:
    scores: dict[str, list[float]] = defaultdict(list)
    for row in talks:
        rubric = (row.curriculum or {}).get("rubric") or {}
        for criterion in rubric.get("criteria") or []:
            scores.setdefault(criterion.get("name", "?"), [])
            if criterion.get("score") is not None:
                scores[criterion["name"]].append(float(criterion["score"]))
    return [{"name": name, "mean": rounded(mean(values)), "talks": len(values)} for name, values in scores.items()]


def pronunciation_section(figs: list[StudentFigures], readings: list[SessionRow]) -> dict:
    words, word_students = Counter(), defaultdict(set)
    sounds: dict[str, dict] = defaultdict(lambda: {"count": 0, "low": 0, "total": 0.0, "words": Counter()})
    for row in readings:
        for word in row.pron_words or []:
            error, accuracy = word.get("ErrorType") or "None", word.get("AccuracyScore")
            if error in ("Omission", "Insertion"):
                continue  # nothing was pronounced, or not a reference word: no sound to judge
            text = str(word.get("Word", "")).lower()
            if error == "Mispronunciation" or (accuracy is not None and accuracy < LOW_ACCURACY):
                words[text] += 1
                word_students[text].add(row.student_id)
            for ph in word.get("Phonemes") or []:
                if ph.get("AccuracyScore") is None or not ph.get("Phoneme"):
                    continue
                sound = sounds[to_ipa(ph["Phoneme"])]
                sound["count"] += 1
                sound["total"] += float(ph["AccuracyScore"])
                if ph["AccuracyScore"] < LOW_ACCURACY:
                    sound["low"] += 1
                    sound["words"][text] += 1
    top_sounds = sorted(sounds.items(), key=lambda kv: (-kv[1]["low"], kv[1]["total"] / kv[1]["count"], kv[0]))
    return {
        "readings": len(readings),
        "students": sum(1 for f in figs if f.readings),
        "accuracy": describe(f.reading_mean("accuracy_score") for f in figs),
        "fluency": describe(f.reading_mean("pron_fluency_score") for f in figs),
        "prosody": describe(f.reading_mean("prosody_score") for f in figs),
        "completeness": describe(f.reading_mean("completeness_score") for f in figs),
        "score": describe(f.pron for f in figs),
        "words": [
            {"word": w, "count": n, "students": len(word_students[w])}
            for w, n in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_N]
        ],
        "sounds": [
            {
                "sound": s,
                "skill": SOUND_SKILLS.get(s),
                "low": v["low"],
                "count": v["count"],
                "share_low": round(100.0 * v["low"] / v["count"], 1),
                "mean": round(v["total"] / v["count"], 1),
                "examples": [w for w, _ in v["words"].most_common(3)],
            }
            for s, v in top_sounds
            if v["low"]
        ][:TOP_N],
    }
