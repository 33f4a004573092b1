"""How many words that feedback quotes were mis-heard, with the confidence bar off and on.

Usage (from the repo root):
    .venv/bin/python bench/quoted_words.py --split calib      # calibrate the bar: the table of bars
    .venv/bin/python bench/quoted_words.py --split report     # held-out speakers: quoted words before/after
        [--model base|tiny.en] [--limit N speakers] [--bars 0.3,0.4,0.5]

Each speaker's four sentences of speechocean762-dev are joined (0.5 s apart) into one talk,
transcribed by the local engine as the app does (no hints: the read text is never given to it),
and analysed by the real report code with the local feedback writer. Every recognised word is
aligned to the reference text (after ``asr_wer.normalize``) and marked right or wrong; filler
sounds are neither (read speech has none in its reference).

Printed:
- the calibration table: for each candidate bar, the share of words below it, how many of those
  are wrong, how many of the words kept (at or above it) are wrong, and the share of all wrong
  words the bar catches;
- quoted words: every word quoted by the strengths and improvements, and by the grammar evidence
  (structure examples and likely slips), counted right/wrong, with the bar off (every confidence
  read as 1.0, so nothing is unsure) and on (the app's bar), with how many points, quotes and
  praised grammar structures were kept.

Splits are by speaker, as in bench/pronunciation_bench.py: "calib" = even speaker ids (used to set
the bar), "report" = odd speaker ids (held out), "all" = both.

Data: speechocean762 (Zhang et al., Interspeech 2021, arXiv:2104.01378), released under CC BY 4.0
by SpeechOcean and Xiaomi.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from asr_wer import CORPUS, load_wav, normalize  # noqa: E402

from app.analysis.context import SpeakingTask  # noqa: E402
from app.analysis.engines.base import AudioClip, Transcript, Word  # noqa: E402
from app.analysis.evidence import SURE_CONFIDENCE  # noqa: E402
from app.analysis.feedback.local import LocalWriter  # noqa: E402
from app.analysis.language import normalise  # noqa: E402
from app.analysis.report import build_report  # noqa: E402

GAP_SECONDS = 0.5
# Read speech has no topic: relevance is not scored, as for a batch file without one.
TASK = SpeakingTask("", "", 30)
DEFAULT_BARS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


# --- talks -------------------------------------------------------------------


def speaker_talks(split: str, limit: int = 0):
    """(speaker, reference text, clip) for each speaker of *split*: their sentences joined in id order."""
    text = dict(line.rstrip("\n").split("\t", 1) for line in open(CORPUS / "text"))
    by_speaker: dict[str, list[str]] = defaultdict(list)
    for line in open(CORPUS / "utt2spk"):
        utt, spk = line.split()
        if split == "all" or (int(spk) % 2 == 0) == (split == "calib"):
            by_speaker[spk].append(utt)
    speakers = sorted(by_speaker)[: limit or None]
    gap = np.zeros(int(GAP_SECONDS * 16_000), np.float32)
    for spk in speakers:
        utts = sorted(by_speaker[spk])
        parts = [p for u in utts for p in (load_wav(CORPUS / "wav" / f"{u}.wav").samples, gap)]
        yield spk, " ".join(text[u] for u in utts), AudioClip(np.concatenate(parts), 16_000)


# --- which recognised words are right ----------------------------------------


def word_truth(transcript: Transcript, reference: str) -> list[bool | None]:
    """For each word of *transcript*: True if it matches the reference, False if not, None for a filler.

    Both sides are normalised word by word (``asr_wer.normalize``: numbers spelled out, contractions
    expanded), so "didn't" is right when the reference says "did not".
    """
    import jiwer

    pieces: list[int] = []  # normalised hypothesis word -> index of the recognised word it came from
    for i, w in enumerate(transcript.words):
        pieces += [i] * len(normalize(w.text).split())
    hyp = " ".join(normalize(w.text) for w in transcript.words).split()
    truth: list[bool | None] = [None] * len(transcript.words)
    for i in set(pieces):
        truth[i] = True
    ref = normalize(reference)
    if not hyp:
        return truth
    for chunk in jiwer.process_words(ref, " ".join(hyp)).alignments[0]:
        if chunk.type != "equal":
            for k in range(chunk.hyp_start_idx, chunk.hyp_end_idx):
                truth[pieces[k]] = False
    return truth


def quoted_indices(quote: str, start: float | None, transcript: Transcript) -> list[int] | None:
    """Indices of the transcript words *quote* was taken from (the match nearest *start*); None if not found."""
    wanted = [normalise(x) for x in quote.replace("\u2026", " ").split()]
    wanted = [x for x in wanted if x]
    said = [normalise(w.text) for w in transcript.words]
    best = None
    for i in range(len(said) - len(wanted) + 1):
        if said[i : i + len(wanted)] == wanted:
            distance = abs(transcript.words[i].start - (start or 0.0))
            if best is None or distance < best[0]:
                best = (distance, i)
    if best is None or not wanted:
        return None
    return list(range(best[1], best[1] + len(wanted)))


# --- one talk, bar off and on ------------------------------------------------


@dataclass
class Tally:
    points: int = 0
    quotes: int = 0
    quoted_words: dict = field(default_factory=lambda: {"right": 0, "wrong": 0, "filler": 0})
    grammar_words: dict = field(default_factory=lambda: {"right": 0, "wrong": 0, "filler": 0})
    structures_praised: int = 0
    grammar_score: int = 0
    wrong_examples: list = field(default_factory=list)
    unmatched: int = 0

    def count(self, bucket: dict, quote: str, start, transcript, truth, where: str) -> None:
        idx = quoted_indices(quote, start, transcript)
        if idx is None:
            self.unmatched += 1
            return
        for i in idx:
            kind = {True: "right", False: "wrong", None: "filler"}[truth[i]]
            bucket[kind] += 1
        if any(truth[i] is False for i in idx):
            self.wrong_examples.append(f"{where}: {quote!r}")


def tally(report: dict, transcript: Transcript, truth: list, into: Tally) -> None:
    fb = report["feedback"]
    for point in fb["strengths"] + fb["improvements"]:
        into.points += 1
        if point["quote"]:
            into.quotes += 1
            into.count(into.quoted_words, point["quote"], point["start"], transcript, truth, "feedback")
    structures = report["grammar"]["structures"]
    for key, ev in structures.items():
        for ex in ev["examples"]:
            into.count(into.grammar_words, ex["quote"], ex["start"], transcript, truth, key)
    for err in report["grammar"]["errors"]:
        into.count(into.grammar_words, err["quote"], err["start"], transcript, truth, err["type"])
    into.structures_praised += any(p["text"].endswith("well done!") for p in fb["strengths"])
    into.grammar_score += report["scores"]["grammar"]["score"]


def transcribe(engine, clip: AudioClip, cached: Path | None) -> Transcript:
    """The engine's transcript of *clip*, read from (or saved to) *cached* when given."""
    if cached and cached.exists():
        data = json.loads(cached.read_text())
        return Transcript(data["text"], tuple(Word(**w) for w in data["words"]), data["duration"], data["engine"])
    transcript = engine.transcribe(clip)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({**asdict(transcript), "words": [asdict(w) for w in transcript.words]}))
    return transcript


def bar_off(transcript: Transcript) -> Transcript:
    """The same transcript with every word fully confident: what the report did before the bar."""
    return replace(transcript, words=tuple(replace(w, confidence=1.0) for w in transcript.words))


# --- printing ----------------------------------------------------------------


def calibration_table(rows: list[tuple[float, bool]], bars) -> list[str]:
    """One line per bar. ``band`` is the share wrong among words from the previous bar up to this one;
    ``F1`` scores the bar as a detector of wrong words (precision = wrong-among-below, recall = wrong-caught)."""
    out = ["bar   below  wrong-among-below  wrong-among-kept  wrong-caught  band-wrong    F1"]
    wrong_total = sum(1 for _, ok in rows if not ok)
    previous = 0.0
    for bar in bars:
        below = [ok for p, ok in rows if p < bar]
        kept = [ok for p, ok in rows if p >= bar]
        band = [ok for p, ok in rows if previous <= p < bar]
        precision = sum(not ok for ok in below) / max(1, len(below))
        recall = sum(not ok for ok in below) / max(1, wrong_total)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(
            f"{bar:.2f}  {len(below) / len(rows):5.1%}  {precision:17.1%}"
            f"  {sum(not ok for ok in kept) / max(1, len(kept)):16.1%}  {recall:12.1%}"
            f"  {sum(not ok for ok in band) / max(1, len(band)):10.1%}  {f1:.3f}"
        )
        previous = bar
    return out


def share(bucket: dict) -> str:
    words = bucket["right"] + bucket["wrong"]
    return f"{bucket['wrong']}/{words} wrong ({bucket['wrong'] / max(1, words):.1%}), {bucket['filler']} filler sounds"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("calib", "report", "all"), default="report")
    p.add_argument("--model", default="base", choices=["tiny.en", "base"])
    p.add_argument("--limit", type=int, default=0, help="first N speakers of the split (0 = all)")
    p.add_argument("--bars", default=",".join(str(b) for b in DEFAULT_BARS), help="bars for the calibration table")
    p.add_argument("--show", type=int, default=0, help="print up to N quotes that hold a wrong word")
    p.add_argument("--cache", type=Path, help="keep transcripts in this folder and reuse them (while developing)")
    args = p.parse_args()

    from app.analysis.engines.local.transcription import LocalWhisperEngine

    engine = LocalWhisperEngine(model=args.model)
    engine.load()
    writer = LocalWriter()
    rows: list[tuple[float, bool]] = []
    before, after = Tally(), Tally()
    talks = audio = 0.0
    t0 = time.perf_counter()
    for spk, reference, clip in speaker_talks(args.split, args.limit):
        transcript = transcribe(engine, clip, args.cache and args.cache / f"{args.model}-{spk}.json")
        truth = word_truth(transcript, reference)
        rows += [(w.confidence, ok) for w, ok in zip(transcript.words, truth, strict=True) if ok is not None]
        tally(build_report(bar_off(transcript), TASK, writer), transcript, truth, before)
        tally(build_report(transcript, TASK, writer), transcript, truth, after)
        talks += 1
        audio += clip.duration
    wall = time.perf_counter() - t0

    print(f"model={args.model} split={args.split} talks={talks:.0f} audio={audio:.0f}s wall={wall:.0f}s "
          f"words={len(rows)} wrong={sum(not ok for _, ok in rows)} bar={SURE_CONFIDENCE}")
    print("\n".join(calibration_table(rows, [float(b) for b in args.bars.split(",")])))
    for name, t in (("bar off", before), ("bar on ", after)):
        print(f"{name}: feedback quotes {share(t.quoted_words)}; grammar evidence {share(t.grammar_words)}; "
              f"points {t.points}, with a quote {t.quotes}; grammar praised in {t.structures_praised} talks; "
              f"mean grammar score {t.grammar_score / max(1, talks):.1f}; quotes not found {t.unmatched}")
    if args.show:
        for name, t in (("bar off", before), ("bar on", after)):
            print(f"--- {name}: quotes holding a wrong word")
            print("\n".join(t.wrong_examples[: args.show]))


if __name__ == "__main__":
    main()
