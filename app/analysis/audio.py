"""Turn an uploaded or browser-recorded file into 16 kHz mono float32 audio.

Decoding uses PyAV (FFmpeg bundled in the wheel), so no system ffmpeg is needed.
The container is recognised from its first bytes, never from the file name, and
FFmpeg is told which demuxer to use: that keeps FFmpeg's playlist and
file-reading demuxers (HLS, concat, ...) out of reach of an upload.

Every failure is an ``AnalysisError`` subclass with a message a pupil can act on.
"""
from __future__ import annotations

import io
import os
from typing import BinaryIO, Iterator, Mapping

import numpy as np

from .engines.base import SAMPLE_RATE, AudioClip
from .errors import (
    AudioTooLarge,
    AudioTooLong,
    AudioTooShort,
    CorruptAudio,
    NoSpeech,
    UnsupportedFormat,
)

MIN_AUDIO_SECONDS: float = 1.0

# File-name extensions the upload form accepts. The name is only a first filter:
# the bytes decide (see ``sniff_format``).
ALLOWED_EXTENSIONS: frozenset[str] = frozenset(
    {"webm", "weba", "ogg", "oga", "opus", "mp4", "m4a", "aac", "wav", "mp3", "flac"}
)

# sniff_format() name -> FFmpeg demuxer name.
_DEMUXERS: dict[str, str] = {
    "wav": "wav",
    "webm": "matroska",
    "ogg": "ogg",
    "mp4": "mov",
    "mp3": "mp3",
    "flac": "flac",
    "aac": "aac",
}

_SNIFF_BYTES = 64

MSG_TOO_LARGE = "This recording file is too big (over {mb} MB). Try a shorter recording."
MSG_UNSUPPORTED = (
    "We can't open this kind of file. Please record again in the app, "
    "or upload a WAV, MP3, M4A, FLAC, OGG or WebM sound file."
)
MSG_NO_AUDIO_TRACK = "This file has no sound in it. Please upload a recording of your voice."
MSG_CORRUPT = "This recording seems to be broken or cut off, so we can't play it. Please record it again."
MSG_TOO_LONG = "This recording is longer than {limit}. Please keep your speech under {limit} and try again."
MSG_TOO_SHORT = "This recording is too short to listen to. Please speak for at least a few seconds."
MSG_NO_SPEECH = "We couldn't hear any speech — check your microphone and try again."
MSG_TOO_LITTLE_SPEECH = (
    "We only heard about {heard:.1f} seconds of talking. "
    "Please speak for longer so we can give you feedback."
)


def allowed_file(filename: str) -> bool:
    """True when *filename* has one of ``ALLOWED_EXTENSIONS`` (case-insensitive)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return ext in ALLOWED_EXTENSIONS


def sniff_format(head: bytes) -> str | None:
    """Name the container from the first bytes of a file, or None if it is not one we decode.

    Returns one of: "wav", "webm" (Matroska/WebM), "ogg", "mp4" (MP4/M4A/MOV),
    "mp3", "flac", "aac" (ADTS).
    """
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[:4] == b"OggS":
        return "ogg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:3] == b"ID3":
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF:
        # MPEG audio frame sync: 11 set bits. Layer bits 00 mean ADTS (AAC).
        if head[1] & 0xF6 == 0xF0:
            return "aac"
        if head[1] & 0xE0 == 0xE0:
            return "mp3"
    return None


def _format_limit(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute" + ("s" if minutes != 1 else "")
    return f"{seconds:g} seconds"


def _open_source(
    source: str | os.PathLike | bytes | BinaryIO, max_bytes: int
) -> BinaryIO:
    """Return a seekable binary stream positioned at 0, after checking its size.

    Raises AudioTooLarge before anything is decoded (and, for unseekable streams,
    without reading more than ``max_bytes + 1`` bytes).
    """
    too_large = AudioTooLarge(MSG_TOO_LARGE.format(mb=max_bytes // (1024 * 1024)))
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) > max_bytes:
            raise too_large
        return io.BytesIO(bytes(source))
    if isinstance(source, (str, os.PathLike)):
        try:
            size = os.path.getsize(source)
        except OSError as exc:
            raise CorruptAudio(MSG_CORRUPT) from exc
        if size > max_bytes:
            raise too_large
        try:
            return open(source, "rb")
        except OSError as exc:  # a directory, no permission, removed meanwhile
            raise CorruptAudio(MSG_CORRUPT) from exc
    stream = source
    if stream.seekable():
        start = stream.tell()
        size = stream.seek(0, io.SEEK_END) - start
        stream.seek(start)
        if size > max_bytes:
            raise too_large
        if start:
            return io.BytesIO(stream.read())
        return stream
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return io.BytesIO(data)


def decode_speech(source: str | os.PathLike | bytes | BinaryIO, config: Mapping) -> AudioClip:
    """Decode *source* within the configured limits and check it holds enough speech to analyse.

    Reads ANALYSIS_MAX_BYTES, ANALYSIS_MAX_SECONDS and ANALYSIS_MIN_SPEECH_SECONDS; raises
    what ``decode_audio`` and ``check_speech`` raise.
    """
    clip = decode_audio(source, max_seconds=config["ANALYSIS_MAX_SECONDS"], max_bytes=config["ANALYSIS_MAX_BYTES"])
    check_speech(clip, min_speech_seconds=config["ANALYSIS_MIN_SPEECH_SECONDS"])
    return clip


def decode_audio(source: str | os.PathLike | bytes | BinaryIO, *, max_seconds: float, max_bytes: int) -> AudioClip:
    """Decode the first audio track of *source* to 16 kHz mono float32.

    Guarantees: the returned clip is at least ``MIN_AUDIO_SECONDS`` and at most
    ``max_seconds`` long, samples are float32 in [-1, 1]. Decoding stops as soon as
    the limit is passed, so a two-hour file costs only ``max_seconds`` of work.

    Raises AudioTooLarge, UnsupportedFormat, CorruptAudio, AudioTooLong, AudioTooShort.
    """
    stream = _open_source(source, max_bytes)
    try:
        head = stream.read(_SNIFF_BYTES)
        stream.seek(0)
        kind = sniff_format(head)
        if kind is None:
            raise UnsupportedFormat(MSG_UNSUPPORTED)
        samples = _decode_stream(stream, _DEMUXERS[kind], max_seconds)
    finally:
        if stream is not source:
            stream.close()
    if samples.size < MIN_AUDIO_SECONDS * SAMPLE_RATE:
        raise AudioTooShort(MSG_TOO_SHORT)
    np.clip(samples, -1.0, 1.0, out=samples)
    return AudioClip(samples, SAMPLE_RATE)


def _decode_stream(stream: BinaryIO, demuxer: str, max_seconds: float) -> np.ndarray:
    import av  # imported here so importing this module stays cheap

    too_long = AudioTooLong(MSG_TOO_LONG.format(limit=_format_limit(max_seconds)))
    max_samples = int(max_seconds * SAMPLE_RATE)
    try:
        container = av.open(stream, mode="r", format=demuxer, metadata_errors="ignore")
    except (av.FFmpegError, OSError, ValueError, EOFError) as exc:
        raise CorruptAudio(MSG_CORRUPT) from exc
    with container:
        if not container.streams.audio:
            raise UnsupportedFormat(MSG_NO_AUDIO_TRACK)
        # A declared duration lets us refuse long files before decoding any of them.
        # (MediaRecorder WebM has no duration; the running count below covers it.)
        if container.duration is not None and container.duration / 1_000_000 > max_seconds + 1:
            raise too_long
        chunks: list[np.ndarray] = []
        total = 0
        try:
            for block in _resampled(container):
                chunks.append(block)
                total += block.size
                if total > max_samples:
                    raise too_long
        except (av.FFmpegError, OSError, ValueError, EOFError) as exc:
            # FFmpeg errors mid-stream mean a damaged file; ValueError comes from
            # PyAV when a stream's layout changes in a way it cannot resample.
            raise CorruptAudio(MSG_CORRUPT) from exc
    if total == 0:
        raise CorruptAudio(MSG_CORRUPT)
    return np.concatenate(chunks).astype(np.float32, copy=False)


def _resampled(container) -> Iterator[np.ndarray]:
    """Yield mono float32 16 kHz blocks from the container's first audio stream."""
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    audio = container.streams.audio[0]
    for packet in container.demux(audio):
        for frame in packet.decode():
            frame.pts = None  # browser WebM often has non-monotonic timestamps
            for out in resampler.resample(frame):
                yield out.to_ndarray().reshape(-1)
    for out in resampler.resample(None):
        yield out.to_ndarray().reshape(-1)


# --- speech detection -------------------------------------------------------


def speech_regions(clip: AudioClip) -> list[tuple[float, float]]:
    """Speech regions of *clip* in seconds, from the Silero VAD bundled with faster-whisper.

    Regions are sorted, non-overlapping and lie within [0, clip.duration].
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    # Tighter than faster-whisper's transcription defaults (2 s silence, 400 ms pad)
    # so the regions describe the speech itself rather than generous windows.
    options = VadOptions(min_silence_duration_ms=500, speech_pad_ms=100, min_speech_duration_ms=150)
    stamps = get_speech_timestamps(clip.samples, options, sampling_rate=clip.sample_rate)
    rate = float(clip.sample_rate)
    return [(s["start"] / rate, min(s["end"] / rate, clip.duration)) for s in stamps]


def check_speech(clip: AudioClip, *, min_speech_seconds: float) -> list[tuple[float, float]]:
    """Return the speech regions of *clip*, or raise if there is not enough speech to analyse.

    Raises NoSpeech when no speech is detected at all (silence, hum, a muted
    microphone) and AudioTooShort when the speech adds up to less than
    *min_speech_seconds*.
    """
    # Near-digital silence: skip the VAD (and its cost) entirely.
    if clip.samples.size == 0 or float(np.max(np.abs(clip.samples))) < 1e-3:
        raise NoSpeech(MSG_NO_SPEECH)
    regions = speech_regions(clip)
    heard = sum(end - start for start, end in regions)
    if not regions:
        raise NoSpeech(MSG_NO_SPEECH)
    if heard < min_speech_seconds:
        raise AudioTooShort(MSG_TOO_LITTLE_SPEECH.format(heard=heard))
    return regions
