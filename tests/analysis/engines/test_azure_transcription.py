"""Azure engine: JSON mapping, event flow with a stand-in SDK, and a real SDK failure.

The service cannot be reached from the test machines, so the JSON below copies
the shape the Speech SDK returns with OutputFormat.Detailed and word-level
timestamps (Offset/Duration in 100-ns ticks, words in NBest[0].Words).
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import types
from pathlib import Path

import numpy as np
import pytest

from app.analysis.engines.azure import transcription as azure_mod
from app.analysis.engines.azure.transcription import AzureSpeechEngine, transcript_from_azure_json
from app.analysis.engines.base import AudioClip, Word
from app.analysis.errors import AnalysisError, EngineUnavailable

SR = 16_000
ROOT = Path(__file__).resolve().parents[3]


def phrase(display: str, offset: int, duration: int, words: list[tuple], confidence: float = 0.9) -> dict:
    """One Recognized event's JSON (SpeechServiceResponse_JsonResult), as the SDK sends it."""
    lexical = " ".join(w[0] for w in words)
    return {
        "Id": "7f3c0b1e5d2a4c6e8f901234567890ab",
        "RecognitionStatus": "Success",
        "Offset": offset,
        "Duration": duration,
        "Channel": 0,
        "DisplayText": display,
        "NBest": [
            {
                "Confidence": confidence,
                "Lexical": lexical,
                "ITN": lexical,
                "MaskedITN": lexical,
                "Display": display,
                "Words": [
                    {"Word": w, "Offset": o, "Duration": d, **({"Confidence": c} if c is not None else {})}
                    for w, o, d, c in words
                ],
            }
        ],
    }


FIRST = phrase(
    "I like cats.", 5_000_000, 12_300_000,
    [("i", 5_000_000, 1_800_000, 0.95), ("like", 6_900_000, 2_700_000, 0.91), ("cats", 9_700_000, 7_600_000, 0.88)],
)
SECOND = phrase(
    "Um, they are cute.", 31_000_000, 15_000_000,
    [("um", 31_000_000, 3_000_000, None), ("they", 34_100_000, 2_000_000, 0.97),
     ("are", 36_200_000, 1_500_000, 0.99), ("cute", 37_800_000, 8_200_000, 0.86)],
    confidence=0.8,
)


def test_maps_ticks_words_confidences_and_text():
    t = transcript_from_azure_json([FIRST, SECOND], duration=5.0)
    assert t.text == "I like cats. Um, they are cute."
    assert t.engine == "azure" and t.duration == 5.0
    assert t.words == (  # lexical words for matching, each with its written form from the display text
        Word("i", 0.5, 0.68, 0.95, "I"),
        Word("like", 0.69, 0.96, 0.91, "like"),
        Word("cats", 0.97, 1.73, 0.88, "cats."),
        Word("um", 3.1, 3.4, 0.8, "Um,"),  # no word confidence: the phrase's NBest confidence
        Word("they", 3.41, 3.61, 0.97, "they"),
        Word("are", 3.62, 3.77, 0.99, "are"),
        Word("cute", 3.78, 4.6, 0.86, "cute."),
    )


@pytest.mark.parametrize(("lexical", "display", "written"), [
    # Inverse text normalisation changed the words: they stay lexical, the last takes the full stop.
    ("i am twenty five", "I am 25.", ["I", "am", "twenty", "five."]),
    ("she said hello world", "She said, \u201cHello world!\u201d", ["She", "said,", "\u201cHello", "world!\u201d"]),
    ("i'm here", "I'm here?", ["I'm", "here?"]),
    ("hello there", "", ["hello", "there"]),  # no display text: the lexical words
])
def test_display_forms_carry_the_display_texts_punctuation(lexical, display, written):
    assert azure_mod.display_forms(lexical.split(), display) == written


def test_sentences_and_unsure_words_come_through_to_the_report():
    from app.analysis.context import SpeakingTask
    from app.analysis.report import analyse_transcript

    low = phrase("We went home.", 50_000_000, 10_000_000,
                 [("we", 50_000_000, 2_000_000, 0.97), ("went", 52_100_000, 2_000_000, 0.2),
                  ("home", 54_200_000, 3_000_000, 0.96)])
    report = analyse_transcript(transcript_from_azure_json([FIRST, SECOND, low], duration=6.0),
                                SpeakingTask("Pets", "Talk about pets.", 30))
    rows = [(w["display"], w["sentence"], w["is_unsure"]) for w in report["words"]]
    assert rows == [("I", 0, False), ("like", 0, False), ("cats.", 0, False), ("Um,", 1, False), ("they", 1, False),
                    ("are", 1, False), ("cute.", 1, False), ("We", 2, False), ("went", 2, True), ("home.", 2, False)]


def test_skips_non_success_results_and_clamps_to_the_audio():
    no_match = {"RecognitionStatus": "NoMatch", "Offset": 0, "Duration": 10_000_000}
    late = phrase("Bye.", 19_000_000, 5_000_000, [("bye", 19_000_000, 5_000_000, 0.7)])
    t = transcript_from_azure_json([no_match, late], duration=2.0)
    assert t.text == "Bye."
    assert t.words == (Word("bye", 1.9, 2.0, 0.7, "Bye."),)


def test_empty_results_give_an_empty_transcript():
    t = transcript_from_azure_json([], duration=3.0)
    assert t.text == "" and t.words == () and t.duration == 3.0


# --- event flow with a stand-in SDK ------------------------------------------


class _Signal:
    def __init__(self) -> None:
        self.handlers = []

    def connect(self, fn) -> None:
        self.handlers.append(fn)

    def fire(self, evt) -> None:
        for fn in self.handlers:
            fn(evt)


def fake_sdk(script: list[tuple[str, object]]) -> types.SimpleNamespace:
    """A stand-in for azure.cognitiveservices.speech that replays *script* after the
    stream is closed, from another thread, as the real SDK does."""
    ns = types.SimpleNamespace()
    ns.ResultReason = types.SimpleNamespace(RecognizedSpeech="RecognizedSpeech", NoMatch="NoMatch")
    ns.CancellationReason = types.SimpleNamespace(Error="Error", EndOfStream="EndOfStream")
    ns.OutputFormat = types.SimpleNamespace(Detailed="Detailed", Simple="Simple")
    ns.PropertyId = types.SimpleNamespace(SpeechServiceResponse_JsonResult="json")
    ns.log = {"pushed": 0, "phrases": [], "config": None}

    class SpeechConfig:
        def __init__(self, subscription=None, region=None, endpoint=None):
            self.subscription, self.region, self.endpoint = subscription, region, endpoint
            self.word_timestamps = False
            ns.log["config"] = self

        def request_word_level_timestamps(self):
            self.word_timestamps = True

    class PushAudioInputStream:
        def __init__(self, stream_format=None):
            self.format = stream_format

        def write(self, data):
            ns.log["pushed"] += len(data)

        def close(self):
            threading.Thread(target=ns.recognizer.replay).start()

    class SpeechRecognizer:
        def __init__(self, speech_config, audio_config, language=None):
            self.recognized, self.canceled, self.session_stopped = _Signal(), _Signal(), _Signal()
            self.stream = audio_config.stream
            ns.recognizer = self

        def start_continuous_recognition(self):
            pass

        def stop_continuous_recognition(self):
            pass

        def replay(self):
            for kind, payload in script:
                if kind == "recognized":
                    result = types.SimpleNamespace(reason="RecognizedSpeech", json=json.dumps(payload), properties={})
                    self.recognized.fire(types.SimpleNamespace(result=result))
                elif kind == "nomatch":
                    result = types.SimpleNamespace(reason="NoMatch", json="", properties={})
                    self.recognized.fire(types.SimpleNamespace(result=result))
                elif kind == "canceled":
                    details = types.SimpleNamespace(reason=payload, code="ConnectionFailure", error_details="boom")
                    self.canceled.fire(types.SimpleNamespace(cancellation_details=details))
                elif kind == "stopped":
                    self.session_stopped.fire(types.SimpleNamespace())

    class PhraseListGrammar:
        @staticmethod
        def from_recognizer(recognizer):
            return types.SimpleNamespace(addPhrase=ns.log["phrases"].append)

    class PronunciationAssessmentConfig:
        def __init__(self, reference_text, grading_system, granularity, enable_miscue):
            ns.log["assessment"] = {"reference_text": reference_text, "grading_system": grading_system,
                                    "granularity": granularity, "enable_miscue": enable_miscue, "prosody": False}

        def enable_prosody_assessment(self):
            ns.log["assessment"]["prosody"] = True

        def apply_to(self, recognizer):
            ns.log["assessment"]["applied"] = recognizer is ns.recognizer

    ns.SpeechConfig, ns.SpeechRecognizer, ns.PhraseListGrammar = SpeechConfig, SpeechRecognizer, PhraseListGrammar
    ns.PronunciationAssessmentConfig = PronunciationAssessmentConfig
    ns.PronunciationAssessmentGradingSystem = types.SimpleNamespace(HundredMark="HundredMark")
    ns.PronunciationAssessmentGranularity = types.SimpleNamespace(Phoneme="Phoneme")
    ns.audio = types.SimpleNamespace(
        AudioStreamFormat=lambda samples_per_second, bits_per_sample, channels: (
            samples_per_second, bits_per_sample, channels
        ),
        PushAudioInputStream=PushAudioInputStream,
        AudioConfig=lambda stream: types.SimpleNamespace(stream=stream),
    )
    return ns


def test_continuous_recognition_collects_every_phrase(monkeypatch):
    sdk = fake_sdk([("recognized", FIRST), ("nomatch", None), ("recognized", SECOND),
                    ("canceled", "EndOfStream"), ("stopped", None)])
    monkeypatch.setattr(azure_mod, "_sdk", lambda: sdk)
    progress: list[float] = []
    clip = AudioClip(np.zeros(5 * SR, np.float32))
    t = AzureSpeechEngine("key", "westeurope").transcribe(
        clip, hints=["photosynthesis", " ", "photosynthesis", "habitat"], on_progress=progress.append
    )
    assert t.text == "I like cats. Um, they are cute."
    assert [w.text for w in t.words] == ["i", "like", "cats", "um", "they", "are", "cute"]
    assert sdk.log["pushed"] == 5 * SR * 2  # 16-bit samples, all of them
    assert sdk.log["phrases"] == ["photosynthesis", "habitat"]
    config = sdk.log["config"]
    assert config.word_timestamps and config.output_format == "Detailed"
    assert config.region == "westeurope" and config.speech_recognition_language == "en-US"
    assert progress[-1] == 1.0 and progress == sorted(progress)


def test_canceled_recognition_raises_a_clear_analysis_error(monkeypatch):
    sdk = fake_sdk([("recognized", FIRST), ("canceled", "Error")])
    monkeypatch.setattr(azure_mod, "_sdk", lambda: sdk)
    with pytest.raises(AnalysisError) as err:
        AzureSpeechEngine("key", "westeurope").transcribe(AudioClip(np.zeros(2 * SR, np.float32)))
    assert err.value.code == "engine_failed"
    assert "try again" in err.value.message


def test_no_answer_times_out_with_an_analysis_error(monkeypatch):
    sdk = fake_sdk([])  # the service never says anything
    monkeypatch.setattr(azure_mod, "_sdk", lambda: sdk)
    with pytest.raises(AnalysisError) as err:
        AzureSpeechEngine("key", "westeurope", timeout_seconds=0.2).transcribe(AudioClip(np.zeros(SR, np.float32)))
    assert err.value.code == "engine_timeout"


PRON_SEGMENT = {
    "RecognitionStatus": "Success", "Offset": 500_000, "Duration": 9_000_000, "DisplayText": "Hello world.",
    "NBest": [{
        "Lexical": "hello world", "Display": "Hello world.",
        "PronunciationAssessment": {"AccuracyScore": 90.0, "FluencyScore": 80.0, "CompletenessScore": 100.0,
                                    "ProsodyScore": 70.0, "PronScore": 82.0},
        "Words": [{"Word": w, "Offset": 500_000 + k * 4_000_000, "Duration": 3_000_000,
                   "PronunciationAssessment": {"AccuracyScore": 90.0, "ErrorType": "None"},
                   "Phonemes": [{"Phoneme": "h", "PronunciationAssessment": {"AccuracyScore": 90.0}}]}
                  for k, w in enumerate(["hello", "world"])],
    }],
}


def test_pronunciation_assessor_runs_the_same_session_with_assessment_on(monkeypatch):
    from app.analysis.engines.azure.pronunciation import AzurePronunciationAssessor

    sdk = fake_sdk([("recognized", PRON_SEGMENT), ("stopped", None)])
    monkeypatch.setattr(azure_mod, "_sdk", lambda: sdk)
    assessor = AzurePronunciationAssessor("key", "westeurope")
    result = assessor.assess(AudioClip(np.zeros(2 * SR, np.float32)), "Hello, world!")
    assert [w.word for w in result.words] == ["hello", "world"] and result.accuracy == 90.0
    assert sdk.log["pushed"] == 2 * SR * 2
    assert sdk.log["assessment"] == {"reference_text": "hello world", "grading_system": "HundredMark",
                                     "granularity": "Phoneme", "enable_miscue": True, "prosody": True, "applied": True}


def test_pronunciation_assessor_cancelled_by_the_service_is_unavailable(monkeypatch):
    from app.analysis.engines.azure.pronunciation import AzurePronunciationAssessor

    sdk = fake_sdk([("canceled", "Error")])  # a cancellation's details carry .code, as the SDK's do
    monkeypatch.setattr(azure_mod, "_sdk", lambda: sdk)
    with pytest.raises(EngineUnavailable) as err:
        AzurePronunciationAssessor("key", "westeurope").assess(AudioClip(np.zeros(SR, np.float32)), "Hello world")
    assert err.value.code == "azure_error"


def test_real_sdk_connection_failure_is_an_analysis_error():
    # Real SDK, pointed at a closed port on this machine: the service is unreachable.
    engine = AzureSpeechEngine(
        "not-a-key", "westeurope", endpoint="ws://127.0.0.1:9/speech/recognition/conversation/cognitiveservices/v1",
        timeout_seconds=30,
    )
    with pytest.raises(AnalysisError) as err:
        engine.transcribe(AudioClip(np.zeros(SR, np.float32)))
    assert err.value.code == "engine_failed"


def test_module_imports_without_loading_the_sdk():
    code = (
        "import sys; import app.analysis.engines.azure.transcription, app.analysis.engines.azure.pronunciation; "
        "sys.exit(1 if 'azure.cognitiveservices.speech' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
