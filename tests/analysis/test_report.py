"""The report: one JSON object, valid against report_schema.json, with flags per word."""
from __future__ import annotations

import json

import pytest

from app.analysis.context import Curriculum, RubricCriterion, SpeakingTask
from app.analysis.feedback.local import LocalWriter
from app.analysis.report import REPORT_VERSION, build_report, report_schema, schema_errors

TASK = SpeakingTask(
    "Animals",
    "Talk about your favourite animal.",
    60,
    Curriculum(
        grammar_focus=("comparatives",),
        vocabulary=("dog", "fur"),
        rubric=(RubricCriterion("Vocabulary", "Uses a range of words", 100),),
    ),
)


@pytest.fixture
def report(make_transcript):
    t = make_transcript(
        "Um, my favourite animal is the dog. Dogs are bigger than cats and, like, really friendly. I I love my dog."
    )
    return build_report(t, TASK, LocalWriter())


def test_report_is_valid_json_with_required_keys(report):
    assert schema_errors(report) == []
    assert json.loads(json.dumps(report)) == report
    for key in (
        "transcript",
        "words",
        "pauses",
        "metrics",
        "scores",
        "feedback",
        "curriculum",
        "engine",
        "duration",
        "version",
    ):
        assert key in report
    assert report["version"] == REPORT_VERSION
    assert report["engine"] == {"asr": "test", "writer": "local"}
    assert {"words_per_minute", "pause_count", "filler_count"} <= set(report["metrics"])
    assert "overall" in report["scores"] and "inputs" in report["scores"]["overall"]


def test_word_flags(report):
    flags = {(w["word"], w["start"]): w for w in report["words"]}
    assert flags[("Um,", 0.0)]["is_filler"] is True
    assert flags[("like,", 5.2)]["is_filler"] is True
    assert flags[("dog.", 2.4)]["is_target_word"] is True
    assert flags[("Dogs", 2.8)]["is_target_word"] is True
    assert flags[("I", 6.8)]["is_repetition"] is True  # the second "I" of "I I"
    assert flags[("I", 6.4)]["is_repetition"] is False
    assert sum(w["is_filler"] for w in report["words"]) == report["metrics"]["filler_count"] == 2


def test_curriculum_section(report):
    c = report["curriculum"]
    assert c["target_words_used"] == 1 and c["target_words"][0]["forms_heard"] == ["dog", "dogs"]
    assert c["grammar_focus"][0]["used"] is True
    assert c["rubric"]["criteria"][0]["score"] == report["scores"]["vocabulary"]["score"]


def test_no_curriculum_is_null(make_transcript):
    r = build_report(make_transcript("I like dogs."), SpeakingTask("A", "Talk about dogs."), LocalWriter())
    assert r["curriculum"] is None and schema_errors(r) == []


def test_validator_catches_mistakes(report):
    broken = {**report, "metrics": {**report["metrics"], "words_per_minute": "fast"}}
    assert schema_errors(broken) == ["$.metrics.words_per_minute: expected number, got str"]
    missing = {k: v for k, v in report.items() if k != "feedback"}
    assert schema_errors(missing) == ["$: missing feedback"]
    extra = {**report, "student_name": "Anna"}
    assert schema_errors(extra) == ["$: unexpected key student_name"]
    bad_score = {**report, "scores": {**report["scores"], "overall": {**report["scores"]["overall"], "score": 101}}}
    assert schema_errors(bad_score) == ["$.scores.overall.score: 101 > 100"]


def test_schema_documents_every_metric(report):
    assert set(report_schema()["properties"]["metrics"]["properties"]) == set(report["metrics"])
