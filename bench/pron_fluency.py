"""Repetitions and self-corrections made from real recordings, and how well the assessor finds them.

Word boundaries come from forcing the true text onto the clean recording (pocketsphinx,
the assessor's own aligner; the corpus has no hand-marked times). Then:

* a repetition copies a word's own audio (or a two-word phrase's) and puts it right
  after the word, behind a short pause: "the cat, cat sat";
* a self-correction puts another word's audio (a similar-sounding word from another
  recording of the same split) right before the correct word: "the cap, cat sat".

Pauses are the recording's own background sound (its quietest stretch), so no digital
silence gives the splice away; every cut fades over 5 ms so it does not click.

``FluencyTally`` scores the assessor on such readings: whether the mark is found where
the splice is (on an extra word overlapping the repeated words and their copy, or the
try and the word tried), marks anywhere else (false alarms per untouched passage word), whether
the accuracy rate stays that of the untouched reading, and words correct per minute
against the true count (every passage word read, over the true reading time: the
forced-aligned span of the recording plus the audio spliced in).
"""
from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field

import numpy as np

from app.analysis.engines.base import AudioClip, to_pcm16
from app.analysis.engines.local.pron_align import FRAME_RATE, get_aligner
from app.analysis.engines.local.pron_miscue import similarity, words_match

SR = 16_000
FADE = int(0.005 * SR)
PAUSE_SECONDS = (0.1, 0.3)  # the pause either side of a spliced word, drawn uniformly
# A wrong word for a self-correction shares at least this share of its phones with the right one
# (a child misreads "cat" as "cap", not as "elephant").
WRONG_WORD_LIKENESS = 0.5


@dataclass(frozen=True)
class WordAudio:
    word: str
    start: int  # sample index
    end: int


@dataclass(frozen=True)
class Spliced:
    audio: AudioClip
    kind: str  # "repetition" | "self_correction"
    at: int  # reference index of the word repeated (the phrase's first word) or corrected
    extra_words: tuple[str, ...]  # the words spoken in addition to the reference
    extra_seconds: float  # audio added, pauses included


def word_spans(audio: AudioClip, words: list[str]) -> list[WordAudio]:
    """Each reference word's audio in *audio*, by forced alignment of the true text."""
    alignment = get_aligner().align(to_pcm16(audio.samples), words)
    per_frame = SR // FRAME_RATE
    return [WordAudio(w, seg.start * per_frame, seg.end * per_frame)
            for w, seg in zip(words, alignment.words, strict=True)]


def _faded(samples: np.ndarray) -> np.ndarray:
    out = samples.astype(np.float32).copy()
    n = min(FADE, len(out) // 2)
    if n:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        out[:n] *= ramp
        out[-n:] *= ramp[::-1]
    return out


def room_tone(samples: np.ndarray, seconds: float, rng: random.Random) -> np.ndarray:
    """*seconds* of the recording's own background: its quietest 50 ms, repeated."""
    win = int(0.05 * SR)
    n = len(samples) // win
    frames = samples[: n * win].reshape(n, win)
    quiet = frames[int(np.argmin(np.mean(frames.astype(np.float64) ** 2, axis=1)))]
    reps = int(np.ceil(seconds * SR / win))
    tone = np.concatenate([np.roll(quiet, rng.randrange(win)) for _ in range(reps)])
    return tone[: int(seconds * SR)].astype(np.float32)


def _insert(audio: AudioClip, at_sample: int, piece: np.ndarray, rng: random.Random,
            pause_before: bool, pause_after: bool) -> tuple[AudioClip, float]:
    parts = [audio.samples[:at_sample]]
    if pause_before:
        parts.append(room_tone(audio.samples, rng.uniform(*PAUSE_SECONDS), rng))
    parts.append(_faded(piece))
    if pause_after:
        parts.append(room_tone(audio.samples, rng.uniform(*PAUSE_SECONDS), rng))
    parts.append(audio.samples[at_sample:])
    joined = np.concatenate(parts)
    return AudioClip(joined, SR), (len(joined) - len(audio.samples)) / SR


def repetition(audio: AudioClip, spans: list[WordAudio], i: int, n: int, rng: random.Random) -> Spliced:
    """Words i..i+n-1 said again right after themselves, behind a short pause."""
    first, last = spans[i], spans[i + n - 1]
    piece = audio.samples[first.start:last.end]
    spliced, added = _insert(audio, last.end, piece, rng, pause_before=True, pause_after=False)
    return Spliced(spliced, "repetition", i, tuple(s.word for s in spans[i:i + n]), added)


def self_correction(audio: AudioClip, spans: list[WordAudio], i: int, wrong: tuple[str, np.ndarray],
                    rng: random.Random) -> Spliced:
    """A wrong word said right before word i, then a short pause, then word i as recorded."""
    word, piece = wrong
    spliced, added = _insert(audio, spans[i].start, piece, rng, pause_before=False, pause_after=True)
    return Spliced(spliced, "self_correction", i, (word,), added)


class WordBank:
    """Words cut from a split's recordings, to be said by mistake in a self-correction."""

    def __init__(self) -> None:
        self._words: dict[str, list[tuple[str, np.ndarray]]] = {}  # word -> [(speaker, samples)]

    def add(self, speaker: str, audio: AudioClip, spans: list[WordAudio]) -> None:
        for s in spans:
            if s.end - s.start >= int(0.12 * SR):
                self._words.setdefault(s.word, []).append((speaker, audio.samples[s.start:s.end]))

    def wrong_word_for(self, target: str, speaker: str, rng: random.Random) -> tuple[str, np.ndarray] | None:
        """A word that sounds like *target* but is not it, preferably said by *speaker*."""
        aligner = get_aligner()
        want = aligner.phones_of(target)
        alike = [(similarity(want, aligner.phones_of(w)), w) for w in self._words if not words_match(w, target)]
        alike = [w for score, w in sorted(alike, reverse=True)[:5] if score >= WRONG_WORD_LIKENESS]
        if not alike:
            return None
        word = rng.choice(alike)
        sayings = self._words[word]
        own = [s for spk, s in sayings if spk == speaker]
        return word, rng.choice(own or [s for _, s in sayings])


def marks_at(result: dict) -> list[tuple[float, float, str]]:
    """(start, end, mark) in seconds of every marked extra word of a result's JSON."""
    return [(w["Offset"], w["Offset"] + w["Duration"], m) for w in result["Words"] for m in w.get("Marks", [])]


def splice_zone(s: Spliced, spans: list[WordAudio]) -> tuple[float, float]:
    """Seconds of the spliced reading where a mark belongs: the repeated words and their
    copy, or the wrong try and the word it tried (50 ms either side)."""
    n = len(s.extra_words)
    if s.kind == "repetition":
        start, end = spans[s.at].start / SR, spans[s.at + n - 1].end / SR + s.extra_seconds
    else:
        start = spans[s.at].start / SR
        end = start + s.extra_seconds + (spans[s.at].end - spans[s.at].start) / SR
    return start - 0.05, end + 0.05


def true_wcpm(spans: list[WordAudio], extra_seconds: float = 0.0) -> float:
    """Every passage word read correctly, over the forced-aligned reading span plus *extra_seconds*."""
    seconds = (spans[-1].end - spans[0].start) / SR + extra_seconds
    return 60.0 * len(spans) / seconds


@dataclass
class FluencyTally:
    trials: dict = field(default_factory=lambda: {"repetition": 0, "phrase": 0, "self_correction": 0})
    hits: dict = field(default_factory=lambda: {"repetition": 0, "phrase": 0, "self_correction": 0})
    corrected_word_correct: int = 0  # the self-corrected word is not an error
    wrong_mark: dict = field(default_factory=lambda: {"repetition": 0, "phrase": 0, "self_correction": 0})
    false_marks: int = 0  # marks away from the splice, on spliced readings
    untouched_words: int = 0
    true_text_marks: int = 0  # marks on the untouched readings
    true_text_words: int = 0
    insertions_marked: int = 0  # a real extra word (bench "remove" variant) marked as a disfluency
    insertions: int = 0
    rate_changes: list = field(default_factory=list)  # |AccuracyRate spliced - untouched|
    wcpm_errors: list = field(default_factory=list)  # (estimated - true) / true, spliced readings
    true_text_wcpm_errors: list = field(default_factory=list)
    seconds_errors: list = field(default_factory=list)  # reading time, estimated - true, spliced

    def untouched(self, result: dict, spans: list[WordAudio]) -> None:
        self.true_text_marks += len(marks_at(result))
        self.true_text_words += len(spans)
        self.true_text_wcpm_errors.append(result["WordsCorrectPerMinute"] / true_wcpm(spans) - 1.0)

    def inserted(self, result: dict) -> None:
        """*result* of a reading with one real extra word (a spoken word left out of the text)."""
        self.insertions += 1
        self.insertions_marked += bool(marks_at(result))

    def spliced(self, kind: str, s: Spliced, result: dict, clean: dict, spans: list[WordAudio]) -> None:
        n = len(s.extra_words)
        want = "SelfCorrection" if s.kind == "self_correction" else "Repetition"
        lo, hi = splice_zone(s, spans)
        near = [m for a, b, m in marks_at(result) if a < hi and b > lo]
        self.trials[kind] += 1
        self.hits[kind] += want in near
        self.wrong_mark[kind] += bool(near) and want not in near
        self.false_marks += len(marks_at(result)) - len(near)
        self.untouched_words += len(spans) - n
        if s.kind == "self_correction":
            passage = [w for w in result["Words"] if w["ErrorType"] != "Insertion"]
            self.corrected_word_correct += passage[s.at]["ErrorType"] not in ("Omission", "Mispronunciation")
        self.rate_changes.append(abs(result["AccuracyRate"] - clean["AccuracyRate"]))
        truth = true_wcpm(spans, s.extra_seconds)
        self.wcpm_errors.append(result["WordsCorrectPerMinute"] / truth - 1.0)
        self.seconds_errors.append(result["ReadingSeconds"] - ((spans[-1].end - spans[0].start) / SR + s.extra_seconds))

    def report(self) -> dict:
        def share(a, b):
            return round(a / b, 3) if b else None

        def abs_mean(xs):
            return round(statistics.mean(abs(x) for x in xs), 3) if xs else None

        def mean(xs):
            return round(statistics.mean(xs), 3) if xs else None

        return {
            "repetition_recall": share(self.hits["repetition"], self.trials["repetition"]),
            "phrase_repetition_recall": share(self.hits["phrase"], self.trials["phrase"]),
            "self_correction_recall": share(self.hits["self_correction"], self.trials["self_correction"]),
            "self_corrected_word_counted_correct": share(self.corrected_word_correct, self.trials["self_correction"]),
            "trials": dict(self.trials),
            "right_place_other_mark": dict(self.wrong_mark),
            "false_marks_per_untouched_word_spliced": share(self.false_marks, self.untouched_words),
            "false_marks_per_word_true_text": share(self.true_text_marks, self.true_text_words),
            "real_insertions_marked_as_disfluency": share(self.insertions_marked, self.insertions),
            "accuracy_rate_change_spliced_vs_untouched_mean_abs": abs_mean(self.rate_changes),
            "accuracy_rate_unchanged_share": share(sum(x < 0.05 for x in self.rate_changes), len(self.rate_changes)),
            "wcpm_error_spliced_mean_abs": abs_mean(self.wcpm_errors),
            "wcpm_error_spliced_mean": mean(self.wcpm_errors),
            "wcpm_error_true_text_mean_abs": abs_mean(self.true_text_wcpm_errors),
            "reading_seconds_error_spliced_mean_abs": abs_mean(self.seconds_errors),
        }
