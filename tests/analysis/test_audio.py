"""Decoding every browser/upload format, the limits, and speech detection."""
from __future__ import annotations

import io

import av
import numpy as np
import pytest

from app.analysis import audio as audio_mod
from app.analysis.audio import (
    ALLOWED_EXTENSIONS,
    MSG_NO_SPEECH,
    allowed_file,
    check_speech,
    decode_audio,
    sniff_format,
)
from app.analysis.engines.base import AudioClip
from app.analysis.errors import (
    AnalysisError,
    AudioTooLarge,
    AudioTooLong,
    AudioTooShort,
    CorruptAudio,
    NoSpeech,
    UnsupportedFormat,
)
from app.config import Config
from tests.factories import AUDIO_LIMITS

SR = 16_000


def decode(source, **limits):
    """decode_audio within the configured limits, or the ones a test sets."""
    return decode_audio(source, **(AUDIO_LIMITS | limits))


class _NoSeekWriter(io.RawIOBase):
    """Output like a live MediaRecorder upload: muxers cannot go back to write a duration."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, b) -> int:
        self.data += bytes(b)
        return len(b)


def encode(
    samples: np.ndarray, fmt: str, codec: str, rate: int, *, layout: str = "mono", seekable: bool = True
) -> bytes:
    """Encode 16 kHz float32 *samples* with PyAV (which resamples to the codec's *rate*)."""
    sink: io.RawIOBase | io.BytesIO = io.BytesIO() if seekable else _NoSeekWriter()
    channels = 2 if layout == "stereo" else 1
    with av.open(sink, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        block = 4096
        for i in range(0, len(samples), block):
            chunk = np.ascontiguousarray(samples[i : i + block], dtype=np.float32)
            planar = np.tile(chunk, (channels, 1))
            frame = av.AudioFrame.from_ndarray(planar, format="fltp", layout=layout)
            frame.sample_rate = SR
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return sink.getvalue() if seekable else bytes(sink.data)


def tone(seconds: float, freq: float = 440.0, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def peak_frequency(samples: np.ndarray, rate: int = SR) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


# (container, codec, codec sample rate): what Chromium, Firefox and Safari record,
# and the upload formats.
FORMATS = {
    "webm-opus (Chromium/Firefox)": ("webm", "libopus", 48_000),
    "ogg-opus (Firefox)": ("ogg", "libopus", 48_000),
    "mp4-aac (Safari)": ("mp4", "aac", 44_100),
    "m4a-aac": ("ipod", "aac", 48_000),
    "mp3": ("mp3", "libmp3lame", 44_100),
    "flac": ("flac", "flac", 22_050),
    "wav-48k": ("wav", "pcm_s16le", 48_000),
}


@pytest.mark.parametrize("name", list(FORMATS))
def test_decodes_every_browser_and_upload_format_to_16k_mono(name):
    fmt, codec, rate = FORMATS[name]
    data = encode(tone(2.0), fmt, codec, rate)
    clip = decode(data)
    assert clip.sample_rate == SR
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    # Codecs add a little priming/padding; more than 0.1 s would be a decoding bug.
    assert abs(clip.duration - 2.0) < 0.1, clip.duration
    # A wrong resampling rate would move the pitch.
    assert abs(peak_frequency(clip.samples) - 440.0) < 3.0
    rms = float(np.sqrt(np.mean(clip.samples[SR // 4 : -SR // 4] ** 2)))
    assert 0.15 < rms < 0.26  # 0.3 / sqrt(2) = 0.21 for the original


def test_stereo_is_mixed_down_to_mono():
    clip = decode(encode(tone(1.5, 1000.0), "wav", "pcm_s16le", 44_100, layout="stereo"))
    assert clip.samples.ndim == 1
    assert abs(peak_frequency(clip.samples) - 1000.0) < 3.0
    assert abs(clip.duration - 1.5) < 0.05


def test_accepts_path_str_bytes_and_streams(tmp_path):
    data = encode(tone(1.5), "ogg", "libopus", 48_000)
    path = tmp_path / "take.ogg"
    path.write_bytes(data)

    class OneWayStream(io.RawIOBase):  # e.g. a request body that cannot seek
        def __init__(self, payload: bytes) -> None:
            self._inner = io.BytesIO(payload)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, b) -> int:
            return self._inner.readinto(b)

    durations = [
        decode(src).duration
        for src in (path, str(path), data, io.BytesIO(data), OneWayStream(data))
    ]
    assert all(abs(d - 1.5) < 0.1 for d in durations), durations


def test_decodes_espeak_speech_file(espeak):
    clip = decode(espeak("Good morning, class."))  # 22.05 kHz WAV
    assert clip.sample_rate == SR and 0.8 < clip.duration < 3.0
    assert float(np.max(np.abs(clip.samples))) > 0.1


def test_size_limit_is_checked_before_decoding():
    # Garbage would be UnsupportedFormat if anything looked at the bytes first.
    with pytest.raises(AudioTooLarge) as err:
        decode(b"x" * 2000, max_bytes=1000)
    assert err.value.status == 413


def test_size_limit_applies_to_paths_and_unseekable_streams(tmp_path):
    path = tmp_path / "big.wav"
    path.write_bytes(encode(tone(2.0), "wav", "pcm_s16le", SR))
    with pytest.raises(AudioTooLarge):
        decode(path, max_bytes=10_000)

    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            b[:] = b"\0" * len(b)
            return len(b)

    with pytest.raises(AudioTooLarge):
        decode(Endless(), max_bytes=100_000)


def test_text_file_renamed_wav_is_unsupported(tmp_path):
    fake = tmp_path / "speech.wav"
    fake.write_text("This is my homework, not a recording.\n" * 20)
    with pytest.raises(UnsupportedFormat) as err:
        decode(fake)
    assert err.value.status == 415
    assert "can't open this kind of file" in err.value.message


def test_video_without_sound_is_unsupported():
    buf = io.BytesIO()
    with av.open(buf, "w", format="webm") as out:
        stream = out.add_stream("libvpx", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(10):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    with pytest.raises(UnsupportedFormat) as err:
        decode(buf.getvalue())
    assert "no sound" in err.value.message


@pytest.mark.parametrize("fmt,codec,rate,keep", [
    ("webm", "libopus", 48_000, 60), ("mp4", "aac", 44_100, 0.5), ("ogg", "libopus", 48_000, 40),
])
def test_truncated_recording_is_corrupt(fmt, codec, rate, keep):
    data = encode(tone(3.0), fmt, codec, rate)
    cut = data[: int(len(data) * keep)] if keep < 1 else data[:keep]
    with pytest.raises(CorruptAudio) as err:
        decode(cut)
    assert "broken or cut off" in err.value.message


def test_unreadable_paths_are_errors_not_crashes(tmp_path):
    with pytest.raises(CorruptAudio):
        decode(tmp_path / "missing.webm")
    with pytest.raises(CorruptAudio):
        decode(tmp_path)  # a directory


def test_garbage_behind_a_valid_header_is_corrupt():
    with pytest.raises(CorruptAudio):
        decode(b"RIFF\x24\x00\x00\x00WAVE" + bytes(range(256)) * 4)


def test_duration_limit_from_declared_length():
    data = encode(np.zeros(12 * SR, np.float32), "flac", "flac", SR)
    with pytest.raises(AudioTooLong) as err:
        decode(data, max_seconds=10)
    assert "longer than 10 seconds" in err.value.message
    assert decode(data, max_seconds=15).duration == pytest.approx(12.0, abs=0.05)


def test_duration_limit_stops_decoding_early_without_declared_length(monkeypatch):
    # Live WebM (as MediaRecorder writes it) has no duration in its header.
    data = encode(np.zeros(120 * SR, np.float32), "webm", "libopus", 48_000, seekable=False)
    assert av.open(io.BytesIO(data)).duration is None
    decoded = []
    real = audio_mod._resampled

    def counting(container):
        for block in real(container):
            decoded.append(block.size)
            yield block

    monkeypatch.setattr(audio_mod, "_resampled", counting)
    with pytest.raises(AudioTooLong) as err:
        decode(data, max_seconds=60)
    assert "1 minute" in err.value.message
    assert 60 * SR < sum(decoded) < 62 * SR  # stopped right after the limit, not at 120 s


def test_the_configured_duration_limit_is_ten_minutes():
    data = encode(np.zeros(601 * SR + SR, np.float32), "flac", "flac", SR)
    with pytest.raises(AudioTooLong) as err:
        decode(data)
    assert "10 minutes" in err.value.message


def test_under_one_second_is_too_short():
    with pytest.raises(AudioTooShort):
        decode(encode(tone(0.5), "wav", "pcm_s16le", SR))


def test_sniff_format_and_allowed_extensions():
    assert sniff_format(b"RIFF\x00\x00\x00\x00WAVEfmt ") == "wav"
    assert sniff_format(b"\x1a\x45\xdf\xa3\x9f") == "webm"
    assert sniff_format(b"OggS\x00\x02") == "ogg"
    assert sniff_format(b"\x00\x00\x00\x1cftypM4A ") == "mp4"
    assert sniff_format(b"ID3\x04\x00") == "mp3"
    assert sniff_format(b"\xff\xfb\x90\x00") == "mp3"
    assert sniff_format(b"\xff\xf1\x50\x80") == "aac"
    assert sniff_format(b"fLaC\x00") == "flac"
    assert sniff_format(b"<html><body>") is None
    assert sniff_format(b"") is None
    assert allowed_file("Recording.WEBM") and allowed_file("a.m4a") and allowed_file("x.mp3")
    assert not allowed_file("essay.docx") and not allowed_file("noextension")
    assert {"webm", "ogg", "mp4", "m4a", "wav", "mp3", "flac"} <= ALLOWED_EXTENSIONS


# --- speech detection -------------------------------------------------------


def test_silence_has_no_speech():
    with pytest.raises(NoSpeech) as err:
        check_speech(AudioClip(np.zeros(5 * SR, np.float32)), min_speech_seconds=Config.ANALYSIS_MIN_SPEECH_SECONDS)
    assert err.value.message == MSG_NO_SPEECH


def test_quiet_hiss_and_hum_have_no_speech():
    rng = np.random.default_rng(0)
    hiss = (0.01 * rng.standard_normal(5 * SR)).astype(np.float32)
    with pytest.raises(NoSpeech):
        check_speech(AudioClip(hiss), min_speech_seconds=Config.ANALYSIS_MIN_SPEECH_SECONDS)
    with pytest.raises(NoSpeech):
        hum = AudioClip(tone(5.0, 50.0, 0.2))  # mains hum
        check_speech(hum, min_speech_seconds=Config.ANALYSIS_MIN_SPEECH_SECONDS)


def test_speech_regions_follow_the_speech(speech_samples):
    words = speech_samples("My favourite animal is the elephant because it is very clever.")
    gap = np.zeros(2 * SR, np.float32)
    clip = AudioClip(np.concatenate([gap, words, gap, words, gap]))
    regions = check_speech(clip, min_speech_seconds=Config.ANALYSIS_MIN_SPEECH_SECONDS)
    speech_len = len(words) / SR
    assert len(regions) == 2, regions
    (s1, e1), (s2, e2) = regions
    assert s1 == pytest.approx(2.0, abs=0.35) and e1 == pytest.approx(2.0 + speech_len, abs=0.5)
    assert s2 == pytest.approx(4.0 + speech_len, abs=0.35)
    assert 0 <= s1 < e1 < s2 < e2 <= clip.duration


def test_a_single_short_word_is_too_little_speech(speech_samples):
    word = speech_samples("Hi.")
    clip = AudioClip(np.concatenate([np.zeros(2 * SR, np.float32), word, np.zeros(2 * SR, np.float32)]))
    with pytest.raises(AudioTooShort) as err:
        check_speech(clip, min_speech_seconds=1.0)
    assert "speak for longer" in err.value.message
    assert check_speech(clip, min_speech_seconds=0.2)  # the word itself is found


def test_every_error_is_an_analysis_error_with_a_plain_message():
    for exc in (AudioTooLarge, UnsupportedFormat, CorruptAudio, AudioTooLong, AudioTooShort, NoSpeech):
        assert issubclass(exc, AnalysisError)
    for message in (
        audio_mod.MSG_TOO_LARGE, audio_mod.MSG_UNSUPPORTED, audio_mod.MSG_CORRUPT,
        audio_mod.MSG_TOO_LONG, audio_mod.MSG_TOO_SHORT, audio_mod.MSG_NO_SPEECH,
        audio_mod.MSG_TOO_LITTLE_SPEECH, audio_mod.MSG_NO_AUDIO_TRACK,
    ):
        assert not any(jargon in message.lower() for jargon in ("codec", "demux", "ffmpeg", "sample rate", "container"))
        assert len(message) < 160
