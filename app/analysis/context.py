"""What the analysis knows about the task and the class, as plain values.

Built by the web layer from the database and handed to the pipeline, so the
pipeline never touches the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# The grammar structures the engine can find evidence for; the teacher's
# curriculum form offers exactly these keys.
GRAMMAR_STRUCTURES: dict[str, str] = {
    "past_simple": "Past simple",
    "present_perfect": "Present perfect",
    "conditionals": "Conditionals (if ...)",
    "comparatives": "Comparatives and superlatives",
    "linking_words": "Linking words",
    "future_forms": "Future forms (will / going to)",
    "modal_verbs": "Modal verbs",
    "passive_voice": "Passive voice",
}


@dataclass(frozen=True)
class RubricCriterion:
    name: str
    description: str
    weight: float  # weights of a rubric add up to 100


@dataclass(frozen=True)
class Curriculum:
    grammar_focus: tuple[str, ...] = ()  # keys of GRAMMAR_STRUCTURES
    grammar_notes: str = ""
    vocabulary: tuple[str, ...] = ()
    rubric: tuple[RubricCriterion, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.grammar_focus or self.grammar_notes or self.vocabulary or self.rubric)


@dataclass(frozen=True)
class SpeakingTask:
    title: str
    prompt: str
    speaking_seconds: int = 60
    curriculum: Curriculum = field(default_factory=Curriculum)
    # The speaker's and their classmates' names: redacted from anything sent out (redaction.py), never stored.
    private_names: tuple[str, ...] = ()
