"""Podium's built-in catalogue of short lessons (tutorials.toml), each tagged with the one skill it trains.

Written for 8–16 year-olds speaking English; every entry fits in a 10–15 minute
slot and needs nothing but the students' voices (and Podium to record them).
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).with_name("tutorials.toml")
LEVELS = ("A1", "A2", "B1", "B2", "C1")

SKILLS: dict[str, str] = {
    "pacing": "Speaking pace",
    "fillers": "Filler words",
    "pausing": "Pausing for effect",
    "fluency": "Fluency",
    "linking_words": "Linking words",
    "past_tense": "Past tense",
    "present_perfect": "Present perfect",
    "conditionals": "Conditionals",
    "comparatives": "Comparatives",
    "future_forms": "Future forms",
    "modal_verbs": "Modal verbs",
    "passive_voice": "Passive voice",
    "grammar_accuracy": "Grammar accuracy",
    "vocabulary_range": "Vocabulary range",
    "curriculum_vocabulary": "Unit vocabulary",
    "topic_relevance": "Staying on topic",
    "structure": "Structure",
    "sound_th_voiceless": "The /θ/ sound (think)",
    "sound_th_voiced": "The /ð/ sound (this)",
    "sound_v_w": "/v/ and /w/",
    "sound_r_l": "/r/ and /l/",
    "sound_i_ee": "/ɪ/ and /iː/ (ship, sheep)",
    "sound_ae_uh": "/æ/ and /ʌ/ (cat, cut)",
    "sound_endings": "Final consonants",
    "sound_ng": "The /ŋ/ sound (sing)",
    "word_stress": "Word stress",
    "intonation": "Intonation",
    "pronunciation_accuracy": "Clear pronunciation",
}


@dataclass(frozen=True)
class Tutorial:
    id: str
    skill: str  # a key of SKILLS
    title: str
    minutes: int
    level: str  # the lowest CEFR level the activity works for
    summary: str
    exercise: str

    def to_json(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def catalogue() -> tuple[Tutorial, ...]:
    """Every tutorial, in file order; ValueError names the entry if the file is inconsistent."""
    with CATALOGUE_PATH.open("rb") as fh:
        entries = [Tutorial(**item) for item in tomllib.load(fh)["tutorial"]]
    seen: set[str] = set()
    for t in entries:
        if t.id in seen or t.skill not in SKILLS or t.level not in LEVELS:
            raise ValueError(f"tutorials.toml: {t.id!r} repeats an id or names an unknown skill or level")
        seen.add(t.id)
    return tuple(entries)


def by_id(tutorial_id: str) -> Tutorial | None:
    return next((t for t in catalogue() if t.id == tutorial_id), None)


def tutorials_for(skill: str) -> list[Tutorial]:
    """Catalogue entries that train *skill*, in catalogue order."""
    return [t for t in catalogue() if t.skill == skill]
