"""Forced alignment and phone-loop decoding with pocketsphinx (offline, CPU).

One aligner per process, created on first use. A pocketsphinx Decoder is not
thread-safe, so every call holds the aligner's lock; concurrent requests in one
process are serialised (each takes ~0.05 s per second of audio).
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from .pron_g2p import pronounce

FRAME_RATE = 100  # pocketsphinx frames per second
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
                segs = self._read_alignment()
                n_frames = self._align.n_frames()
            except RuntimeError as exc:  # pocketsphinx reports "no alignment" this way
                raise AlignmentFailed(str(exc)) from exc
        if len(segs) != len(words):
            raise AlignmentFailed(f"aligned {len(segs)} of {len(words)} words")
        return Alignment(tuple(segs), n_frames, sources)

    def _read_alignment(self) -> list[WordSeg]:
        # Children must be read while the parent iterator is alive: pocketsphinx does
        # not retain them, and touching one later crashes the process.
        segs: list[WordSeg] = []
        for e in self._align.get_alignment():
            if e.name in SILENCE_NAMES:
                continue
            phones = tuple(PhoneSeg(p.name, p.start, p.duration, p.score) for p in e)
            segs.append(WordSeg(e.name, len(segs), e.start, e.duration, e.score, phones))
        return segs

    def phone_loop(self, pcm: bytes) -> np.ndarray:
        """Best unconstrained phone per frame (array of phone names, '' for silence/noise)."""
        with self._lock:
            self._decode(self._loop, pcm)
            n = self._loop.n_frames()
            out = np.full(n, "", dtype=object)
            for seg in self._loop.seg():
                if seg.word not in SILENCE_NAMES:
                    out[seg.start_frame: seg.end_frame + 1] = seg.word
        return out


_aligner: Optional[PocketsphinxAligner] = None
_aligner_lock = threading.Lock()


def get_aligner() -> PocketsphinxAligner:
    """The process-wide aligner (decoders load once, ~0.2 s)."""
    global _aligner
    with _aligner_lock:
        if _aligner is None:
            _aligner = PocketsphinxAligner()
        return _aligner
