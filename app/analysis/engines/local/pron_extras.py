"""Words said twice, or tried before being read right, found in the audio itself.

Whisper tidies what it hears: it drops most words said twice ("the cat, cat sat") and
most wrong tries before the right word ("the cap, cat sat"). The offline assessor
therefore also listens for them:

1. **propose**: pocketsphinx decodes the reading with a grammar in which every passage
   word, and every pair of neighbouring words, may be said once more
   (``PocketsphinxAligner.decode_with_repeats``); each extra copy is a proposal, and the
   later copy is taken as the reading of the passage word (the last try counts);
2. **check**: the passage is aligned with the copies in it, and a copy is kept when a
   logistic score of six pieces of evidence clears KEEP_ABOVE: how well the copy and the
   reading after it fit their phones (the alignment term of pron_gop), whether it is a
   pair, how many more words the recogniser heard there than the passage has, how much
   the copy improves the alignment's fit over that stretch, and how long its phones are
   (the aligner splitting one word in two gives short ones);
3. **mark**: a kept copy that fits its word about as well as the reading after it is a
   Repetition; a single word that fits clearly worse is a wrong try, a SelfCorrection.

Where Whisper did write the try down, engines.disfluency marks it, here told how words
sound (sound_likeness): Whisper spells a try as the word it sounded like ("foam" before
"phone"), seldom like the passage word.

Weights and thresholds were fitted on calibration speakers only, with repetitions and
self-corrections spliced into their recordings (bench/pronunciation_bench.py --fluency;
docs/pronunciation.md has the figures). Thread-safe: the aligner serialises its decoders,
the rest is per call.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Optional, Sequence

import numpy as np

from ..base import WordAssessment
from ..disfluency import disfluency_marks
from ..reading_figures import EXTRA, REPETITION, SELF_CORRECTION
from .pron_align import FRAME_RATE, Alignment, AlignmentFailed, PocketsphinxAligner, WordSeg, get_aligner
from .pron_gop import GLOBAL_MEAN, LLR_SCALE, PHONE_MEAN
from .pron_miscue import similarity

REPEAT_WEIGHT = 0.01  # grammar prior of saying a word again
# Logistic weights of the evidence for a copy (see _evidence), fitted on calibration speakers;
# KEEP_ABOVE keeps about 1 false copy per 100 passage words there.
WEIGHTS = {"copy_fit": 1.185, "reading_fit": 2.267, "pair": 1.014, "heard_more": 0.703,
           "fit_gain": 0.038, "frames_per_phone": 0.029}
BIAS = -0.462
KEEP_ABOVE = 0.715
# A single copy whose fit is this much below the reading after it is a wrong try.
TRY_FIT_GAP = 0.15


@dataclass(frozen=True)
class Extra:
    """Extra spoken words: *segs* said before passage word *before*, marked *mark*."""

    before: int
    segs: tuple[WordSeg, ...]
    mark: str


def parse_repeats(decoded: Sequence[str], ref: Sequence[str]) -> Optional[list[Optional[int]]]:
    """For each decoded word, the passage index it reads, or None for an extra copy.

    The decoded words follow ``repeat_grammar``: each passage word, then optionally itself
    again or the previous word and itself again. Of two copies the earlier is the extra one.
    Returns None when *decoded* does not follow the grammar.
    """
    labels: list[Optional[int]] = []

    def walk(k: int, i: int) -> bool:
        if i == len(ref):
            return k == len(decoded)
        if k >= len(decoded) or decoded[k] != ref[i]:
            return False
        mark = len(labels)
        options = [(1, [i])]
        if decoded[k + 1: k + 2] == [ref[i]]:
            options.append((2, [None, i]))
        if i > 0 and decoded[k + 1: k + 3] == [ref[i - 1], ref[i]]:
            options.append((3, ["pair", i - 1, i]))
        for step, labs in options:
            del labels[mark:]
            if labs[0] == "pair":  # the pair said first becomes the extra copy
                labels[mark - 1] = None
                labels.extend([None, *labs[1:]])
            else:
                labels.extend(labs)
            if walk(k + step, i + 1):
                return True
            if labs[0] == "pair":
                labels[mark - 1] = i - 1
        del labels[mark:]
        return False

    return labels if walk(0, 0) else None


def acoustic_fit(segs: Sequence[WordSeg]) -> float:
    """Mean of the phones' alignment fit (the first term of pron_gop.phone_gop)."""
    fits = []
    for w in segs:
        for p in w.phones:
            llr = p.score / max(p.frames, 1) - PHONE_MEAN.get(p.phone, GLOBAL_MEAN) + GLOBAL_MEAN
            fits.append(-math.log1p(max(0.0, -llr) / LLR_SCALE))
    return float(np.mean(fits)) if fits else -10.0


def sound_likeness(a: str, b: str) -> float:
    """Share of phones two words have in place (engines.disfluency's SoundLikeness)."""
    aligner = get_aligner()
    return similarity(aligner.phones_of(a), aligner.phones_of(b))


def _mean(scores: np.ndarray, start: int, end: int) -> float:
    span = scores[start:end]
    return float(np.mean(span)) if len(span) else 0.0


@dataclass(frozen=True)
class _Proposal:
    before: int  # passage index of the reading after the copy
    copy: tuple[int, ...]  # indices into the as-read alignment
    twin: tuple[int, ...]


def _proposals(labels: Sequence[Optional[int]], decoded: Sequence[str]) -> list[_Proposal]:
    """Each run of extra copies with the reading it repeats: a pair when the two copies are
    followed by the same two words, otherwise each copy with the next reading of its word."""
    out, k = [], 0
    while k < len(labels):
        if labels[k] is not None:
            k += 1
            continue
        end = k
        while end < len(labels) and labels[end] is None:
            end += 1
        if end - k == 2 and list(decoded[k:end]) == list(decoded[end:end + 2]) and None not in labels[end:end + 2]:
            out.append(_Proposal(labels[end], (k, k + 1), (end, end + 1)))
        else:
            for c in range(k, end):
                twin = next((j for j in range(end, len(labels)) if labels[j] is not None and decoded[j] == decoded[c]),
                            None)
                if twin is not None:
                    out.append(_Proposal(labels[end], (c,), (twin,)))
        k = end
    return out


def _evidence(p: _Proposal, read: Alignment, plain: Alignment, heard: Sequence[tuple[float, float]]) -> dict:
    copy, twin = [read.words[i] for i in p.copy], [read.words[i] for i in p.twin]
    start, end = copy[0].start, min(twin[-1].end, len(plain.frame_scores), len(read.frame_scores))
    centres = [(a + b) / 2 * FRAME_RATE for a, b in heard]
    return {
        "copy_fit": acoustic_fit(copy),
        "reading_fit": acoustic_fit(twin),
        "pair": float(len(copy)),
        # The recogniser heard the copy too when it heard more words here than the passage has.
        "heard_more": float(sum(start <= c < end for c in centres) - len(copy)),
        "fit_gain": _mean(read.frame_scores, start, end) - _mean(plain.frame_scores, start, end),
        "frames_per_phone": sum(w.frames for w in copy) / max(sum(len(w.phones) for w in copy), 1),
    }


def copy_score(evidence: dict) -> float:
    """Logistic score (log-odds) that a proposed copy was really said."""
    return BIAS + sum(WEIGHTS[k] * v for k, v in evidence.items())


def _mark(p: _Proposal, read: Alignment) -> str:
    if len(p.copy) > 1:
        return REPETITION
    gap = acoustic_fit([read.words[p.twin[0]]]) - acoustic_fit([read.words[p.copy[0]]])
    return SELF_CORRECTION if gap >= TRY_FIT_GAP else REPETITION


def _reindexed(read: Alignment, labels: Sequence[Optional[int]]) -> Alignment:
    words = tuple(replace(w, index=i) for w, i in zip(read.words, labels, strict=True) if i is not None)
    return Alignment(words, read.n_frames, read.g2p_sources, read.frame_scores)


def _explained_otherwise(p: _Proposal, read: Alignment, unexplained: Sequence[tuple[float, float]]) -> bool:
    """True when a word the recogniser heard beyond the passage (and not as a repetition or a
    try) lies in the proposal's stretch: that word, not a copy, is the extra speech there."""
    start, end = read.words[p.copy[0]].start / FRAME_RATE, read.words[p.twin[-1]].end / FRAME_RATE
    return any(start <= (a + b) / 2 < end for a, b in unexplained)


def find_extras(aligner: PocketsphinxAligner, pcm: bytes, ref: Sequence[str], plain: Alignment,
                heard: Sequence[tuple[float, float]],
                unexplained: Sequence[tuple[float, float]] = ()) -> tuple[Alignment, list[Extra]]:
    """The passage's alignment with the words said twice or tried first taken out of it,
    and those extra words; (*plain*, []) when there are none. *heard* is the (start, end)
    in seconds of every word the recogniser heard, *unexplained* of those it heard beyond
    the passage that are neither a repetition nor a try by their text."""
    if not len(plain.frame_scores):
        return plain, []
    decoded = aligner.decode_with_repeats(pcm, ref, REPEAT_WEIGHT)
    labels = parse_repeats(decoded, ref) if decoded else None
    if not labels or all(i is not None for i in labels):
        return plain, []
    try:
        read = aligner.align(pcm, decoded)
    except AlignmentFailed:
        return plain, []
    proposals = _proposals(labels, decoded)
    kept = [p for p in proposals if copy_score(_evidence(p, read, plain, heard)) >= KEEP_ABOVE
            and not _explained_otherwise(p, read, unexplained)]
    if not kept:
        return plain, []
    if len(kept) < len(proposals):
        drop = {k for p in proposals if p not in kept for k in p.copy}
        decoded = [w for k, w in enumerate(decoded) if k not in drop]
        labels = [i for k, i in enumerate(labels) if k not in drop]
        try:
            read = aligner.align(pcm, decoded)
        except AlignmentFailed:
            return plain, []
        kept = _proposals(labels, decoded)
    extras = [Extra(p.before, tuple(read.words[k] for k in p.copy), _mark(p, read)) for p in kept]
    return _reindexed(read, labels), extras


def _overlap(a: WordAssessment, b: WordAssessment) -> float:
    shared = min(a.offset + a.duration, b.offset + b.duration) - max(a.offset, b.offset)
    return max(shared, 0.0) / max(min(a.duration, b.duration), 1e-3)


def _entry(seg: WordSeg, mark: str) -> WordAssessment:
    return WordAssessment(seg.word.split("(")[0], seg.start / FRAME_RATE, seg.frames / FRAME_RATE, 0.0, EXTRA,
                          marks=(mark,))


def merge_extras(words: Sequence[WordAssessment], extras: Sequence[Extra],
                 heard: Optional[Sequence[str]] = None) -> list[WordAssessment]:
    """*words* (every passage word once, in order, and the recogniser's believable insertions
    where it heard them) with *extras* added before the passage word each precedes, and every
    extra word marked. *heard* is what the recogniser heard for each of *words*.

    Extra words the recogniser heard are marked by engines.disfluency's rule from their text;
    where one covers the same audio as an extra found in the audio, the recogniser's word
    stays (it heard what was said) and takes the audio's mark if the rule gives none.
    """
    heard = list(heard) if heard is not None else [w.word for w in words]
    found = {k: [_entry(s, e.mark) for s in e.segs] for k, e in enumerate(extras)}
    out: list[tuple[WordAssessment, Optional[str], str]] = []  # entry, mark found in the audio, heard
    ref_index = 0
    for w, said in zip(words, heard, strict=True):
        if w.error_type != EXTRA:
            for k, e in enumerate(extras):
                if e.before == ref_index:
                    out += [(x, e.mark, x.word) for x in found[k]]
            ref_index += 1
        out.append((w, None, said))
    # The recogniser's insertions covering a found extra replace it.
    recognised = [w for w, audio_mark, _ in out if w.error_type == EXTRA and audio_mark is None]
    kept, audio_marks = [], {}
    for w, audio_mark, said in out:
        twin = next((h for h in recognised if audio_mark and _overlap(h, w) >= 0.5), None)
        if twin is not None:
            audio_marks[id(twin)] = audio_mark
            continue
        kept.append((w, audio_mark, said))
    entries = [w for w, _, _ in kept]
    rule = disfluency_marks([w.word for w in entries], [w.error_type for w in entries], [h for _, _, h in kept],
                            sound_likeness)
    result = []
    for i, (w, audio_mark, _) in enumerate(kept):
        if audio_mark is not None:
            result.append(w)
        elif w.error_type == EXTRA:
            mark = rule.get(i) or audio_marks.get(id(w))
            result.append(replace(w, marks=(mark,)) if mark else w)
        else:
            result.append(w)
    return result


def breaks_outside_extras(breaks: set[int], words: Sequence[WordSeg], said: Sequence[bool],
                          extras: Sequence[Extra], limit_seconds: float) -> set[int]:
    """*breaks* (indices of passage words after a long pause) without those whose pause was
    really speech: words said twice or tried, with only short silences around them."""
    spans = {e.before: [(s.start, s.end) for s in e.segs] for e in extras}
    out = set()
    for i in breaks:
        if i not in spans:
            out.add(i)
            continue
        prev = next((w for w in reversed(words[:i]) if said[w.index]), None)
        edges = [prev.end if prev else words[i].start, *[x for span in spans[i] for x in span], words[i].start]
        gaps = [(b - a) / FRAME_RATE for a, b in zip(edges[::2], edges[1::2], strict=True)]
        if max(gaps, default=0.0) > limit_seconds:
            out.add(i)
    return out
