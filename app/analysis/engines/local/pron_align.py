"""Forced alignment and phone-loop decoding with pocketsphinx (offline, CPU).

One aligner per process, created on first use. A pocketsphinx Decoder is not
thread-safe, so every call holds the aligner's lock; concurrent requests in one
process are serialised (each takes ~0.05 s per second of audio).
"""
from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from .pron_g2p import pronounce

FRAME_RATE = 100  # pocketsphinx frames per second
LOG_BASE = math.log(1.0001)  # pocketsphinx's log base for scores
SILENCE_NAMES = frozenset({"<s>", "</s>", "<sil>", "SIL", "[NOISE]", "[SPEECH]", "+NSN+", "+SPN+"})


class AlignmentFailed(RuntimeError):
    """The text could not be laid over the audio at all (too short, or no path)."""


@dataclass(frozen=True)
class PhoneSeg:
    phone: str
    start: int  # frame index
    frames: int
    score: int  # acoustic log score, already relative to the best senone of each frame


@dataclass(frozen=True)
class WordSeg:
    word: str
    index: int  # position in the reference word list
    start: int
    frames: int
    score: int
    phones: tuple[PhoneSeg, ...]

    @property
    def end(self) -> int:
        return self.start + self.frames


@dataclass(frozen=True)
class Alignment:
    words: tuple[WordSeg, ...]
    n_frames: int
    g2p_sources: dict  # word -> "dict" | "stem" | "compound" | "rules"
    # Acoustic score of every frame (silences between words included), each phone's
    # score spread evenly over its frames; empty for an alignment put together in parts.
    frame_scores: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class PhoneLoop:
    """The unconstrained phone decode: best phone per frame ('' for silence or noise) and
    each frame's acoustic score, on the alignment's scale (relative to the best senone)."""

    phones: np.ndarray
    frame_scores: np.ndarray


def _model_dir() -> str:
    from pocketsphinx import get_model_path

    return os.path.join(get_model_path(), "en-us")


class PocketsphinxAligner:
    """Owns the two decoders: a forced aligner and an unconstrained phone loop."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        model = _model_dir()
        # Batch CMN, and feature state reset before every decode (see _decode): otherwise
        # the previous recording's normalisation leaks into the next, and a recording's
        # scores would depend on what the process analysed before.
        common = dict(hmm=os.path.join(model, "en-us"), loglevel="FATAL", bestpath=False, cmn="batch")
        self._lock = threading.Lock()
        # Wide beams: with the default ones an extra or badly read word can prune away
        # every path and the alignment fails; alignment search is cheap anyway.
        self._align = Decoder(dict=os.path.join(model, "cmudict-en-us.dict"), lm=None,
                              beam=1e-80, pbeam=1e-80, wbeam=1e-60, **common)
        # The phone loop uses the shipped phonetic LM only as a weak prior over phone
        # sequences; it is the "anything could have been said" competitor for GOP.
        self._loop = Decoder(allphone=os.path.join(model, "en-us-phone.lm.bin"), lm=None, lw=2.0,
                             beam=1e-20, pbeam=1e-20, **common)
        self._sources: dict[str, str] = {}

    def _ensure_words(self, words: Sequence[str]) -> dict:
        sources = {}
        for w in set(words):
            if w not in self._sources:
                found = self._align.lookup_word(w)
                if found:
                    self._sources[w] = "dict"
                else:
                    phones, src = pronounce(w, self._align.lookup_word)
                    self._align.add_word(w, " ".join(phones), True)
                    self._sources[w] = src
            sources[w] = self._sources[w]
        return sources

    def phones_of(self, word: str) -> tuple[str, ...]:
        """Phones of *word* from the dictionary, or spelled out by rules; the dictionary is not changed."""
        if not any(c.isalpha() for c in word):
            return ()
        with self._lock:
            return tuple(pronounce(word, self._align.lookup_word)[0])

    def _decode(self, decoder, pcm: bytes) -> None:
        decoder.reinit_feat()
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()

    def align(self, pcm: bytes, words: Sequence[str]) -> Alignment:
        """Align *words* (normalised, in order) to 16 kHz PCM.

        Guarantees one WordSeg per input word, in order, with at least one phone each;
        raises AlignmentFailed when pocketsphinx finds no path.
        """
        with self._lock:
            sources = self._ensure_words(words)
            try:
                self._align.set_align_text(" ".join(words))
                self._decode(self._align, pcm)
                self._align.set_alignment()
                self._decode(self._align, pcm)
                n_frames = self._align.n_frames()
                segs, scores = self._read_alignment(n_frames)
            except RuntimeError as exc:  # pocketsphinx reports "no alignment" this way
                raise AlignmentFailed(str(exc)) from exc
        if len(segs) != len(words):
            raise AlignmentFailed(f"aligned {len(segs)} of {len(words)} words")
        return Alignment(tuple(segs), n_frames, sources, scores)

    def _read_alignment(self, n_frames: int) -> tuple[list[WordSeg], np.ndarray]:
        # Children must be read while the parent iterator is alive: pocketsphinx does
        # not retain them, and touching one later crashes the process.
        segs: list[WordSeg] = []
        scores = np.zeros(n_frames)
        for e in self._align.get_alignment():
            phones = tuple(PhoneSeg(p.name, p.start, p.duration, p.score) for p in e)
            for p in phones:
                if p.frames > 0:
                    scores[p.start: p.start + p.frames] = p.score / p.frames
            if e.name not in SILENCE_NAMES:
                segs.append(WordSeg(e.name, len(segs), e.start, e.duration, e.score, phones))
        return segs, scores

    def decode_with_repeats(self, pcm: bytes, words: Sequence[str], weight: float) -> Optional[list[str]]:
        """The words heard when any passage word, or pair of neighbouring words, may be said
        once more right after itself (a grammar decode over the passage; *weight* is the
        prior of saying it again). None when the grammar finds no path."""
        with self._lock:
            self._ensure_words(words)
            self._align.add_jsgf_string("repeats", repeat_grammar(words, weight))
            self._align.activate_search("repeats")
            self._decode(self._align, pcm)
            if self._align.hyp() is None:
                return None
            return [s.word.split("(")[0] for s in self._align.seg()
                    if s.word and s.word not in SILENCE_NAMES and not s.word.startswith("(")]

    def phone_loop(self, pcm: bytes) -> PhoneLoop:
        """The best unconstrained phone sequence over *pcm*, frame by frame."""
        with self._lock:
            self._decode(self._loop, pcm)
            n = self._loop.n_frames()
            phones = np.full(n, "", dtype=object)
            scores = np.zeros(n)
            for seg in self._loop.seg():
                frames = seg.end_frame - seg.start_frame + 1
                # Segment scores come back as probabilities; the log (base 1.0001, the
                # decoder's own) puts them on the alignment's scale.
                scores[seg.start_frame: seg.end_frame + 1] = math.log(max(seg.ascore, 1e-300)) / LOG_BASE / frames
                if seg.word not in SILENCE_NAMES:
                    phones[seg.start_frame: seg.end_frame + 1] = seg.word
        return PhoneLoop(phones, scores)


def repeat_grammar(words: Sequence[str], weight: float) -> str:
    """JSGF for *words* in order, each optionally followed by itself (weight) or by the
    previous word and itself (weight / 2)."""
    parts = []
    for i, w in enumerate(words):
        again = [f"/{weight}/ {w}"] + ([f"/{weight / 2}/ {words[i - 1]} {w}"] if i else [])
        parts.append(f"{w} ( {' | '.join(again)} | /1/ <NULL> )")
    return "#JSGF V1.0;\ngrammar reading;\npublic <reading> = " + " ".join(parts) + " ;\n"


_aligner: Optional[PocketsphinxAligner] = None
_aligner_lock = threading.Lock()


def get_aligner() -> PocketsphinxAligner:
    """The process-wide aligner (decoders load once, ~0.2 s)."""
    global _aligner
    with _aligner_lock:
        if _aligner is None:
            _aligner = PocketsphinxAligner()
        return _aligner
