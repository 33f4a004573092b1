"""Benchmark the offline pronunciation assessor on speechocean762-dev.

Each recording is scored against its true text, then against the text with one
word replaced (should score low), one word removed (the spoken word should come
back as an Insertion) and one word added (should be an Omission). With --fluency,
also on the recording with a word said twice, a two-word phrase said twice, and a
wrong word said before the right one, spliced from real audio (bench/pron_fluency.py).

    .venv/bin/python bench/pronunciation_bench.py --split report
    .venv/bin/python bench/pronunciation_bench.py --split calib --limit 60 --seed 1
    .venv/bin/python bench/pronunciation_bench.py --split report --model tiny.en
    .venv/bin/python bench/pronunciation_bench.py --split report --join 5   # passage-length readings
    .venv/bin/python bench/pronunciation_bench.py --split calib --join 5 --fluency --limit 100
    .venv/bin/python bench/pronunciation_bench.py --split calib --join 5 --fluency --fluency-only \
        --whisper-cache /tmp/wc   # Whisper's transcripts kept between runs

Splits are by speaker: "calib" = even speaker ids (used to set thresholds),
"report" = odd speaker ids (held out), "all" = both.

Data: speechocean762 (Zhang et al., Interspeech 2021, arXiv:2104.01378), released
under CC BY 4.0 by SpeechOcean and Xiaomi.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import statistics
import sys
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.analysis.engines.base import AudioClip, Transcript, Word  # noqa: E402
from app.analysis.engines.local.pron_align import AlignmentFailed  # noqa: E402
from app.analysis.engines.local.pron_miscue import words_match  # noqa: E402
from app.analysis.engines.local.pronunciation import LocalPronunciationAssessor  # noqa: E402
from app.analysis.engines.reference_text import normalise_reference  # noqa: E402
from app.analysis.errors import AnalysisError  # noqa: E402
from bench.pron_fluency import FluencyTally, WordBank, repetition, self_correction, word_spans  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/speechocean762-dev")


class CachedEngine:
    """Wraps the speech engine so each recording is transcribed once for its 4 texts, and,
    with a *directory*, once across runs (a rerun after changing the assessor skips Whisper)."""

    def __init__(self, engine, directory: Path | None = None, model: str = "") -> None:
        self._engine, self.name, self._cache = engine, engine.name, {}
        self._directory, self._model = directory, model
        self.seconds = 0.0  # time spent actually transcribing (cache misses)

    def transcribe(self, audio: AudioClip, *, hints=()) -> Transcript:
        key = hashlib.sha256(audio.samples.tobytes() + self._model.encode()).hexdigest()
        if key not in self._cache:
            self._cache[key] = self._stored(key) or self._transcribed(audio, hints, key)
        return self._cache[key]

    def _stored(self, key: str) -> Transcript | None:
        path = self._directory / f"{key}.json" if self._directory else None
        if not (path and path.exists()):
            return None
        data = json.loads(path.read_text())
        return Transcript(**{**data, "words": tuple(Word(**w) for w in data["words"])})

    def _transcribed(self, audio: AudioClip, hints, key: str) -> Transcript:
        start = time.perf_counter()
        transcript = self._engine.transcribe(audio, hints=hints)
        self.seconds += time.perf_counter() - start
        if self._directory:
            self._directory.mkdir(parents=True, exist_ok=True)
            (self._directory / f"{key}.json").write_text(json.dumps(dataclasses.asdict(transcript)))
        return transcript


def load_engine(model: str = "base"):
    from app.analysis.engines.local.transcription import LocalWhisperEngine

    # The same decoding as get_assessor(): no disfluent prompt for read-aloud (fewer misheard words).
    return LocalWhisperEngine(model=model).with_options(filler_prompt=False)


def read_wav(path: Path) -> AudioClip:
    with wave.open(str(path)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return AudioClip(pcm.astype(np.float32) / 32768.0, 16_000)


def read_table(path: Path) -> dict[str, str]:
    return dict(line.rstrip("\n").split(maxsplit=1) for line in path.open() if line.strip())


def auc(pos: list[float], neg: list[float]) -> float:
    """P(score of a changed word < score of an untouched word), ties count half."""
    p, n = np.array(pos)[:, None], np.array(neg)[None, :]
    return float((p < n).mean() + 0.5 * (p == n).mean())


@dataclass
class Tally:
    replaced: list = field(default_factory=list)
    untouched: list = field(default_factory=list)
    replaced_flagged: int = 0
    untouched_misp: int = 0
    omission_hits: int = 0
    omission_trials: int = 0
    insertion_hits: int = 0
    insertion_trials: int = 0
    true_words: int = 0
    true_omissions: int = 0
    true_insertions: int = 0
    mismatches: dict = field(default_factory=dict)
    by_age: dict = field(default_factory=lambda: {"child": [], "adult": []})
    seconds: float = 0.0
    audio: float = 0.0


def other_word(vocab: list[str], avoid: str, rng: random.Random) -> str:
    while True:
        w = rng.choice(vocab)
        if not words_match(w, avoid):
            return w


def inserted_at(out, i: int) -> bool:
    """An Insertion flagged between reference words i-1 and i of the shortened text,
    whatever its spelling (the recogniser may mishear the extra word)."""
    seen = 0
    for w in out:
        if w.error_type == "Insertion":
            if seen == i:
                return True
        else:
            seen += 1
    return False


def run_one(assessor, audio, words, variant, rng, vocab, t: Tally, age_group: str,
            ft: FluencyTally | None = None):
    """Score one variant; returns the true-text result's JSON (for the fluency variants)."""
    def assess(ws):
        return assessor.assess(audio, " ".join(ws)).words

    if variant == "true":
        start = time.perf_counter()
        result = assessor.assess(audio, " ".join(words))
        t.seconds += time.perf_counter() - start
        t.audio += audio.duration
        t.by_age[age_group].append(result.pron_score)
        t.true_words += len(words)
        t.true_omissions += sum(w.error_type == "Omission" for w in result.words)
        # A word said twice or tried first is marked, not an insertion miscue.
        t.true_insertions += sum(w.error_type == "Insertion" and not w.marks for w in result.words)
        return result.to_json()
    elif variant == "replace":
        i = rng.randrange(len(words))
        changed = words[:i] + [other_word(vocab, words[i], rng)] + words[i + 1:]
        ref_words = [w for w in assess(changed) if w.error_type != "Insertion"]
        t.replaced.append(ref_words[i].accuracy)
        t.replaced_flagged += ref_words[i].error_type in ("Mispronunciation", "Omission")
        others = [w for k, w in enumerate(ref_words) if k != i]
        t.untouched += [w.accuracy for w in others]
        t.untouched_misp += sum(w.error_type == "Mispronunciation" for w in others)
    elif variant == "remove" and len(words) >= 2:
        i = rng.randrange(len(words))
        result = assessor.assess(audio, " ".join(words[:i] + words[i + 1:]))
        t.insertion_trials += 1
        t.insertion_hits += inserted_at(result.words, i)
        if ft is not None:
            ft.inserted(result.to_json())
    elif variant == "add":
        i = rng.randrange(len(words) + 1)
        extra = other_word(vocab, "", rng)
        out = [w for w in assess(words[:i] + [extra] + words[i:]) if w.error_type != "Insertion"]
        t.omission_trials += 1
        t.omission_hits += out[i].error_type == "Omission"


def run_fluency(assessor, audio, words, spans, clean: dict, speaker: str, rng, bank: WordBank,
                ft: FluencyTally) -> None:
    """Score the reading with a word said twice, a phrase said twice and a self-correction spliced in."""
    def assess(spliced):
        return assessor.assess(spliced.audio, " ".join(words)).to_json()

    ft.untouched(clean, spans)
    s = repetition(audio, spans, rng.randrange(len(words)), 1, rng)
    ft.spliced("repetition", s, assess(s), clean, spans)
    if len(words) >= 2:
        s = repetition(audio, spans, rng.randrange(len(words) - 1), 2, rng)
        ft.spliced("phrase", s, assess(s), clean, spans)
    i = rng.randrange(len(words))
    wrong = bank.wrong_word_for(words[i], speaker, rng)
    if wrong is not None:
        s = self_correction(audio, spans, i, wrong, rng)
        ft.spliced("self_correction", s, assess(s), clean, spans)


def select(data: Path, split: str, limit: int | None, seed: int) -> list[str]:
    utt2spk = read_table(data / "utt2spk")
    utts = sorted(u for u, s in utt2spk.items()
                  if split == "all" or (int(s) % 2 == 0) == (split == "calib"))
    random.Random(seed).shuffle(utts)
    return utts[:limit] if limit else utts


def readings(utts: list[str], utt2spk: dict[str, str], join: int) -> list[list[str]]:
    """The recordings to assess, each a list of utterances read one after another.

    With *join* > 1, consecutive selected utterances of one speaker are joined into a
    passage-length reading (the speaker's own pauses between sentences kept); a speaker's
    last group may be shorter.
    """
    if join <= 1:
        return [[u] for u in utts]
    by_speaker: dict[str, list[str]] = {}
    for u in utts:
        by_speaker.setdefault(utt2spk[u], []).append(u)
    return [group[i:i + join] for group in by_speaker.values() for i in range(0, len(group), join)]


def report(t: Tally, n: int, args, whisper_seconds: float) -> dict:
    def mean_sd(xs):
        return (round(statistics.mean(xs), 1), round(statistics.pstdev(xs), 1), len(xs)) if xs else None

    fa_words = max(len(t.untouched), 1)
    return {
        "recordings": n, "join": args.join, "audio_seconds_per_recording": round(t.audio / max(n, 1), 1),
        "model": args.model, "split": args.split, "seed": args.seed, "limit": args.limit,
        "replaced_word_auc": round(auc(t.replaced, t.untouched), 3) if t.replaced else None,
        "replaced_flagged_recall": round(t.replaced_flagged / max(len(t.replaced), 1), 3),
        "untouched_mispronunciation_rate": round(t.untouched_misp / fa_words, 3),
        "omission_recall": round(t.omission_hits / max(t.omission_trials, 1), 3),
        "insertion_recall": round(t.insertion_hits / max(t.insertion_trials, 1), 3),
        "true_text_omission_false_alarm": round(t.true_omissions / max(t.true_words, 1), 3),
        "true_text_insertion_false_alarm": round(t.true_insertions / max(t.true_words, 1), 3),
        "pron_score_child_le12": mean_sd(t.by_age["child"]),
        "pron_score_adult": mean_sd(t.by_age["adult"]),
        "real_time_factor_true_text": round(t.seconds / max(t.audio, 1e-9), 3),
        "real_time_factor_of_which_whisper": round(whisper_seconds / max(t.audio, 1e-9), 3),
        "errors": t.mismatches,
    }


def load_reading(data: Path, texts: dict, utts: list[str], with_spans: bool):
    """(utterances, audio, words, word spans) of one reading; spans are [] unless asked for
    or when the true text does not align."""
    audio = AudioClip(np.concatenate([read_wav(data / "wav" / f"{u}.wav").samples for u in utts]), 16_000)
    words = [w for u in utts for w in normalise_reference(texts[u])]
    try:
        spans = word_spans(audio, words) if with_spans else []
    except AlignmentFailed:
        spans = []
    return utts, audio, words, spans


def word_bank(loaded, utt2spk: dict) -> WordBank:
    """Every word of the selected readings, to be said by mistake in a self-correction."""
    bank = WordBank()
    for utts, audio, _words, spans in loaded:
        bank.add(utt2spk[utts[0]], audio, spans)
    return bank


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, help="recordings to use (after shuffling)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--split", choices=("report", "calib", "all"), default="report")
    ap.add_argument("--model", choices=("tiny.en", "base"), default="base", help="Whisper model (WHISPER_MODEL)")
    ap.add_argument("--join", type=int, default=1,
                    help="join up to N utterances of a speaker into one passage-length reading")
    ap.add_argument("--fluency", action="store_true",
                    help="also splice repetitions and self-corrections into the readings (bench/pron_fluency.py)")
    ap.add_argument("--fluency-only", action="store_true",
                    help="with --fluency: skip the replaced/removed/added-word variants")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--whisper-cache", type=Path,
                    help="keep Whisper's transcripts here between runs (the real-time factors then count only misses)")
    args = ap.parse_args(argv)

    texts, utt2spk, ages = (read_table(args.data / f) for f in ("text", "utt2spk", "spk2age"))
    vocab = sorted({w for t in texts.values() for w in normalise_reference(t)})
    engine = CachedEngine(load_engine(args.model), args.whisper_cache, args.model)
    assessor = LocalPronunciationAssessor(engine)
    rng = random.Random(args.seed)
    recordings = readings(select(args.data, args.split, args.limit, args.seed), utt2spk, args.join)
    loaded = [load_reading(args.data, texts, utts, args.fluency) for utts in recordings]
    ft, bank = (FluencyTally(), word_bank(loaded, utt2spk)) if args.fluency else (None, None)
    # The splices draw from their own generator, so the other variants pick the same words with or without them.
    frng = random.Random(args.seed + 1)
    variants = ("true",) if args.fluency and args.fluency_only else ("true", "replace", "remove", "add")
    t = Tally()
    for k, (utts, audio, words, spans) in enumerate(loaded):
        group = "child" if int(ages[utt2spk[utts[0]]]) <= 12 else "adult"
        clean = None
        for variant in variants:
            try:
                clean = run_one(assessor, audio, words, variant, rng, vocab, t, group, ft) or clean
            except AnalysisError as exc:
                key = f"{variant}:{type(exc).__name__}"
                t.mismatches[key] = t.mismatches.get(key, 0) + 1
        if ft is not None and clean is not None and spans:
            try:
                run_fluency(assessor, audio, words, spans, clean, utt2spk[utts[0]], frng, bank, ft)
            except AnalysisError as exc:
                key = f"fluency:{type(exc).__name__}"
                t.mismatches[key] = t.mismatches.get(key, 0) + 1
        if (k + 1) % 25 == 0:
            print(f"... {k + 1}/{len(recordings)}", file=sys.stderr, flush=True)
    figures = report(t, len(recordings), args, engine.seconds)
    if ft is not None:
        figures["fluency"] = ft.report()
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
