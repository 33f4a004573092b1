"""Assemble the one JSON report of an impromptu speech, and check it against its schema.

``build_report`` is pure: a Transcript and a task in, a JSON-ready dict out.
The shape is documented in docs/report-schema.md and app/analysis/report_schema.json.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from . import grammar as grammar_mod
from . import metrics as met
from . import norms
from .context import SpeakingTask
from .curriculum_check import check_curriculum, target_words
from .engines.base import Transcript
from .evidence import SURE_CONFIDENCE, is_sure
from .feedback import FeedbackWriter
from .language import vocabulary_profile
from .relevance import relevance as topic_relevance
from .scoring import compute_scores

REPORT_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).with_name("report_schema.json")
NORMS = {
    "words_per_minute": {"comfortable": list(norms.COMFORTABLE_WPM), "note_outside": list(norms.NOTE_WPM)},
    "fillers_per_100_words": {"ok_below": norms.FILLERS_PER_100_OK},
    "long_pause_seconds": norms.LONG_PAUSE_SECONDS,
    "pause_seconds": norms.PAUSE_SECONDS,
    "sure_confidence": SURE_CONFIDENCE,  # words below it are unsure: never quoted, no evidence
}


def collect_metrics(transcript: Transcript) -> tuple[dict, dict]:
    """(flat numeric metrics, detail lists) for *transcript*."""
    fillers = met.filler_stats(transcript)
    vocab = vocabulary_profile(transcript)
    reps, rests = met.repetitions(transcript), met.restarts(transcript)
    flat = {
        **met.timing(transcript),
        **met.pause_stats(transcript),
        **{k: v for k, v in fillers.items() if k != "fillers"},
        "repetition_count": len(reps),
        "restart_count": len(rests),
        **{k: v for k, v in vocab.items() if k != "less_common_examples"},
        **grammar_mod.sentence_stats(transcript),
        "distinct_linking_words": len(grammar_mod.linking_words_used(transcript)),
    }
    details = {
        "fillers": fillers["fillers"],
        "repetitions": reps,
        "restarts": rests,
        "less_common_examples": vocab["less_common_examples"],
        "linking_words": grammar_mod.linking_words_used(transcript),
        "sentences": grammar_mod.sentences(transcript),
    }
    return flat, details


def _words(transcript: Transcript, details: dict, targets: list[dict]) -> list[dict]:
    """Per-word rows: the word for matching, its written form and sentence, and the flags the page marks.

    ``word`` has no punctuation (it is what metrics counted), ``display`` is how the recogniser
    wrote it ("do."), ``sentence`` numbers the sentences from 0, and ``is_unsure`` marks a word
    below the confidence bar (evidence.SURE_CONFIDENCE).
    """

    def spans(items: list[dict]) -> set[int]:
        return {i for it in items for i in range(it["index"], it.get("last_index", it["index"]) + 1)}

    fill, rep = spans(details["fillers"]), spans(details["repetitions"])
    target = {i for row in targets for i in row["indices"]}
    sentence = grammar_mod.word_sentences(transcript)
    return [
        {
            "word": w.text.strip(),
            "display": w.shown.strip(),
            "sentence": sentence[i],
            "start": round(w.start, 2),
            "end": round(w.end, 2),
            "confidence": round(w.confidence, 3),
            "is_unsure": not is_sure(w.confidence),
            "is_filler": i in fill,
            "is_repetition": i in rep,
            "is_target_word": i in target,
        }
        for i, w in enumerate(transcript.words)
    ]


def analyse_transcript(transcript: Transcript, task: SpeakingTask) -> dict:
    """Everything in the report except ``feedback`` and ``engine.writer``."""
    flat, details = collect_metrics(transcript)
    grammar = {
        "structures": grammar_mod.structure_evidence(transcript),
        "errors": grammar_mod.common_errors(transcript),
    }
    rel = topic_relevance(transcript, task.prompt, task.title)
    scores = compute_scores(flat, grammar, rel, task.speaking_seconds)
    curriculum = check_curriculum(transcript, task.curriculum, grammar["structures"], scores)
    targets = target_words(transcript, task.curriculum.vocabulary)
    pauses = [{**p, "is_long": p["length"] > norms.LONG_PAUSE_SECONDS} for p in met.pauses(transcript)]
    return {
        "version": REPORT_VERSION,
        "kind": "impromptu",
        "task": {"title": task.title, "prompt": task.prompt, "speaking_seconds": task.speaking_seconds},
        "duration": round(transcript.duration, 2),
        "transcript": transcript.text.strip(),
        "words": _words(transcript, details, targets),
        "pauses": pauses,
        "metrics": flat,
        "details": details,
        "grammar": grammar,
        "relevance": rel,
        "scores": scores,
        "curriculum": curriculum,
        "norms": NORMS,
        "engine": {"asr": transcript.engine},
    }


def build_report(transcript: Transcript, task: SpeakingTask, writer: FeedbackWriter) -> dict:
    """The complete report: analysis plus the writer's feedback and engine names.

    Guarantees: the result is JSON-serialisable and valid against report_schema.json.
    """
    analysis = analyse_transcript(transcript, task)
    result = writer.write(analysis, task.private_names)
    return {**analysis, "feedback": result.feedback, "engine": {"asr": transcript.engine, "writer": result.writer}}


@lru_cache(maxsize=1)
def report_schema() -> dict:
    """The JSON Schema (draft 2020-12 subset) of a report."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _type_ok(value: Any, name: str) -> bool:
    if name in ("number", "integer"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return ok and (name == "number" or float(value).is_integer())
    return isinstance(value, _TYPES[name])


def schema_errors(value: Any, schema: Mapping | None = None, path: str = "$") -> list[str]:
    """Every place where *value* breaks *schema* (default: the report schema); [] if valid.

    Supports the keywords the report schema uses: type, required, properties,
    additionalProperties, items, enum, minimum, maximum.
    """
    schema = report_schema() if schema is None else schema
    types = schema.get("type")
    if types and not any(_type_ok(value, t) for t in ([types] if isinstance(types, str) else types)):
        return [f"{path}: expected {types}, got {type(value).__name__}"]
    errors = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} > {schema['maximum']}")
    if isinstance(value, dict):
        errors += [f"{path}: missing {k}" for k in schema.get("required", []) if k not in value]
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                errors += schema_errors(item, props[key], f"{path}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(item, schema["additionalProperties"], f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected key {key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{path}[{i}]")
    return errors
