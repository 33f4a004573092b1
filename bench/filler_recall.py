"""Recall of filler words ("um", "uh", "er", "you know", "like") by the local engine.

Usage (from the repo root):
    .venv/bin/python bench/filler_recall.py [--model tiny.en|base] [--n 40] [--prompt both|on|off]

Test material, made here, with every filler at a known time:
  * mixed: two real speechocean762 utterances (different speakers' read speech)
    joined by one espeak-ng-spoken filler, with 0.3 s pauses around it;
  * espeak: espeak-ng sentences with fillers inside ("I think, um, we should ...").
A filler counts as found when the transcript has a word of the same kind
starting within 1.0 s of where it was inserted. Kinds: hesitation (um, uh, er
and however Whisper spells them: umm, uhh, erm, hmm), "you know", "like";
Whisper writing "uh" for a spoken "um" counts as found. False alarms: fillers in the transcript that match nothing
inserted (on the 'mixed' set, whose read speech contains no fillers).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from asr_wer import CORPUS, is_filler, load_corpus  # noqa: E402

from app.system_programs import find_program  # noqa: E402

SR = 16_000
TOLERANCE = 1.0
FILLERS = ["um", "uh", "er", "you know", "like"]
KIND = {"um": "hesitation", "uh": "hesitation", "er": "hesitation", "like": "like", "you know": "you know"}

ESPEAK_SENTENCES = [
    ("I think {} we should go to the park after school.", "um"),
    ("My favourite subject is {} science because we do experiments.", "uh"),
    ("Last summer we went to the beach and {} it was really hot.", "you know"),
    ("The best thing about my town is {} the big library.", "er"),
    ("So we were walking home and it was {} raining a lot.", "like"),
    ("When I grow up I want to be {} a doctor.", "um"),
    ("Yesterday my brother {} broke his new bicycle.", "uh"),
    ("Our teacher said that {} the test is on Friday.", "you know"),
]


def espeak(text: str, folder: Path, speed: int = 150) -> np.ndarray:
    from app.analysis.audio import _decode_stream  # noqa: PLC2701 - raw decode, no length floor
    from app.config import Config

    out = folder / f"s{abs(hash((text, speed)))}.wav"
    subprocess.run([find_program("espeak-ng"), "-s", str(speed), "-w", str(out), text], check=True, capture_output=True)
    with open(out, "rb") as f:
        return _decode_stream(f, "wav", Config.ANALYSIS_MAX_SECONDS)


def trim(samples: np.ndarray) -> np.ndarray:
    """Cut leading/trailing near-silence so inserted positions are exact."""
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return samples[loud[0] : loud[-1] + 1] if loud.size else samples


def mixed_items(n: int, folder: Path):
    """(samples, [(filler, time)]) built from pairs of real utterances."""
    from app.analysis.audio import decode_audio
    from app.config import Config

    limits = {"max_seconds": Config.ANALYSIS_MAX_SECONDS, "max_bytes": Config.ANALYSIS_MAX_BYTES}

    corpus = load_corpus()
    step = max(1, len(corpus) // (2 * n))
    utts = [u for u, _, _ in corpus[::step]][: 2 * n]
    pause = np.zeros(int(0.3 * SR), np.float32)
    for i in range(n):
        a = decode_audio(CORPUS / "wav" / f"{utts[2 * i]}.wav", **limits).samples
        b = decode_audio(CORPUS / "wav" / f"{utts[2 * i + 1]}.wav", **limits).samples
        filler = FILLERS[i % len(FILLERS)]
        f = trim(espeak(filler, folder, speed=130)) * 0.5  # roughly the corpus's level
        at = (len(a) + len(pause)) / SR
        yield np.concatenate([a, pause, f, pause, b]), [(filler, at)]


def espeak_items(folder: Path):
    for template, filler in ESPEAK_SENTENCES:
        before, after = template.split("{}")
        a, f, b = espeak(before, folder), trim(espeak(filler, folder, speed=130)), espeak(after, folder)
        a = trim(a)
        pause = np.zeros(int(0.25 * SR), np.float32)
        at = (len(a) + len(pause)) / SR
        yield np.concatenate([a, pause, f, pause, trim(b)]), [(filler, at)]


def found_fillers(words) -> list[tuple[str, float]]:
    """(kind, start) of each filler in a transcript's words, "you know" as one."""
    out = []
    texts = [w.text.lower().strip(".,!?") for w in words]
    for i, t in enumerate(texts):
        if t == "you" and i + 1 < len(texts) and texts[i + 1] == "know":
            out.append(("you know", words[i].start))
        elif t == "like":
            out.append(("like", words[i].start))
        elif is_filler(t):
            out.append(("hesitation", words[i].start))
    return out


def score(engine, items) -> tuple[int, int, int, dict[str, list[int]]]:
    """(inserted, found, false alarms, {filler: [found, inserted]}) over *items*."""
    from app.analysis.engines.base import AudioClip

    inserted = found = false_alarms = 0
    per: dict[str, list[int]] = {f: [0, 0] for f in FILLERS}
    for samples, truth in items:
        got = found_fillers(engine.transcribe(AudioClip(samples.astype(np.float32))).words)
        used = set()
        for filler, at in truth:
            inserted += 1
            per[filler][1] += 1
            for j, (kind, start) in enumerate(got):
                if j not in used and kind == KIND[filler] and abs(start - at) <= TOLERANCE:
                    used.add(j)
                    found += 1
                    per[filler][0] += 1
                    break
        false_alarms += len(got) - len(used)
    return inserted, found, false_alarms, per


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="base", choices=["tiny.en", "base"])
    p.add_argument("--n", type=int, default=40, help="number of mixed recordings")
    p.add_argument("--prompt", default="both", choices=["both", "on", "off"])
    args = p.parse_args()

    from app.analysis.engines.local.transcription import LocalWhisperEngine

    engine = LocalWhisperEngine(model=args.model)
    settings = {"both": [True, False], "on": [True], "off": [False]}[args.prompt]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sets = {"mixed": list(mixed_items(args.n, folder)), "espeak": list(espeak_items(folder))}
        for prompt in settings:
            e = engine.with_options(filler_prompt=prompt)
            for name, items in sets.items():
                ins, hit, fa, per = score(e, items)
                detail = " ".join(f"{f!r}:{a}/{b}" for f, (a, b) in per.items() if b)
                print(f"model={args.model} prompt={prompt} set={name:6s} fillers={ins:3d} "
                      f"found={hit:3d} recall={hit / ins:.2f} false_alarms={fa}  [{detail}]", flush=True)


if __name__ == "__main__":
    main()
