"""Real-time factor and peak memory of the local engine on 10 s, 60 s and 5 min of speech.

Usage (from the repo root):
    .venv/bin/python bench/asr_speed.py [--model tiny.en|base] [--beam 1] [--no-prompt] [--lengths 10,60,300]

Recordings are built by concatenating real speechocean762 utterances (in corpus
order, with their own leading/trailing silence) up to each length. RTF = wall
seconds of ``engine.transcribe`` (VAD + chunking + Whisper) / audio seconds,
after one warm-up call; cpu-RTF = CPU seconds (all threads) / audio seconds,
which other processes on a shared machine disturb much less than wall time.
Peak memory is the process's max RSS (getrusage).
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from asr_wer import CORPUS, load_corpus  # noqa: E402

SR = 16_000


def build_recording(seconds: float) -> np.ndarray:
    """Real utterances joined until *seconds* of audio, cut to exactly that length."""
    from app.analysis.audio import decode_audio
    from app.config import Config

    limits = {"max_seconds": Config.ANALYSIS_MAX_SECONDS, "max_bytes": Config.ANALYSIS_MAX_BYTES}

    parts, total = [], 0
    for utt, _, _ in load_corpus():
        clip = decode_audio(CORPUS / "wav" / f"{utt}.wav", **limits).samples
        parts.append(clip)
        total += len(clip)
        if total >= seconds * SR:
            break
    return np.concatenate(parts)[: int(seconds * SR)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="base", choices=["tiny.en", "base"])
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--no-prompt", dest="prompt", action="store_false", default=True)
    p.add_argument("--lengths", default="10,60,300", help="seconds, comma-separated")
    p.add_argument("--repeat", type=int, default=1, help="runs per length; the best is reported")
    args = p.parse_args()

    from app.analysis.engines.base import AudioClip
    from app.analysis.engines.local.transcription import LocalWhisperEngine

    print(f"start rss={peak_rss_mb():.0f} MB")
    t = time.perf_counter()
    engine = LocalWhisperEngine(model=args.model).with_options(beam_size=args.beam, filler_prompt=args.prompt)
    engine.load()
    print(f"model={args.model} beam={args.beam} prompt={args.prompt} load={time.perf_counter() - t:.1f}s "
          f"rss after load={peak_rss_mb():.0f} MB")
    engine.transcribe(AudioClip(build_recording(5)))  # warm-up
    for seconds in (float(s) for s in args.lengths.split(",")):
        clip = AudioClip(build_recording(seconds))
        walls, cpus = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            result = engine.transcribe(clip)
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        wall, cpu = min(walls), min(cpus)
        print(f"audio={clip.duration:6.1f}s wall={wall:6.2f}s RTF={wall / clip.duration:.3f} "
              f"cpu={cpu:6.2f}s cpu-RTF={cpu / clip.duration:.3f} "
              f"words={len(result.words)} peak_rss={peak_rss_mb():.0f} MB", flush=True)


if __name__ == "__main__":
    main()
