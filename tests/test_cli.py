"""``flask analyze`` on a minimal Flask app with the test configuration, real espeak-ng audio and the real engine."""
from __future__ import annotations

import json

import pytest
from flask import Flask

from app import cli
from app.cli import analyze_command
from app.config import TestConfig
from tests.factories import speech_wav

HOLIDAY = ("Last summer I went to the beach with my family. We swam in the sea every day. "
           "It was the best holiday because the weather was hot. "
           "If I can, I will go there again next year.")


@pytest.fixture
def runner():
    flask_app = Flask(__name__)
    flask_app.config.from_object(TestConfig)
    flask_app.cli.add_command(analyze_command)
    return flask_app.test_cli_runner()


@pytest.fixture(scope="module")
def impromptu_wav():
    return speech_wav(HOLIDAY, speed=140)


def test_human_readable_report(runner, impromptu_wav):
    result = runner.invoke(args=["analyze", str(impromptu_wav), "--topic", "My best holiday"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Topic: My best holiday" in out
    for heading in ("Scores (0-100):", "Metrics:", "Strengths:", "To improve:", "Next steps:"):
        assert heading in out
    assert "words/min" in out and "overall" in out
    assert "feedback local" in out
    assert result.stderr == ""  # a short file prints no progress


def test_json_output(runner, impromptu_wav):
    result = runner.invoke(args=["analyze", str(impromptu_wav), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["task"]["title"] == "Free talk"
    assert report["metrics"]["word_count"] > 30


def test_progress_on_stderr_for_long_files(runner, impromptu_wav, monkeypatch):
    monkeypatch.setattr(cli, "LONG_FILE_BYTES", 0)
    result = runner.invoke(args=["analyze", str(impromptu_wav), "--json"])
    assert result.exit_code == 0
    assert "transcribing..." in result.stderr and "scoring..." in result.stderr
    assert "transcribing: 100%" in result.stderr
    assert "transcribing" not in result.stdout.split("{", 1)[0]


def test_bad_input_exit_1_with_child_message(runner, tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_text("this is not a recording")
    result = runner.invoke(args=["analyze", str(bad)])
    assert result.exit_code == 1
    assert "We can't open this kind of file" in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_exit_1(runner, tmp_path):
    result = runner.invoke(args=["analyze", str(tmp_path / "nope.wav")])
    assert result.exit_code == 1
    assert "Could not open" in result.stderr and "Traceback" not in result.output
