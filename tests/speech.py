"""Synthetic speech for the tests: espeak-ng speaks, PyAV resamples, numpy pads (no sox)."""
from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import av
import numpy as np

from app.system_programs import find_program


def espeak(text: str, out: Path, *, voice: str = "en-us", speed: int = 150) -> Path:
    """*text* spoken by espeak-ng into the WAV *out* (22.05 kHz mono, as espeak writes it)."""
    subprocess.run([find_program("espeak-ng"), "-v", voice, "-s", str(speed), "-w", str(out), text],
                   check=True, capture_output=True)
    return out


def to_pcm16_wav(source: Path, out: Path, *, rate: int = 16000, pad_seconds: float = 0.0) -> Path:
    """Any audio file as a mono 16-bit WAV at *rate*, with *pad_seconds* of silence after it."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
    chunks = []
    with av.open(str(source)) as container:
        for frame in container.decode(audio=0):
            chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    samples = np.concatenate(chunks + [np.zeros(int(round(pad_seconds * rate)), dtype=np.int16)])
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype("<i2").tobytes())
    return out
