"""Offline pronunciation assessment: pocketsphinx alignment + GOP + Whisper miscues.

Pipeline for one reading:
 1. refuse silence (NoSpeech) and readings of something else (ReadingMismatch);
 2. force-align the reference words and phones (pron_align);
 3. score each phone by goodness of pronunciation (pron_gop);
 4. align the recogniser's words to the reference to find omissions/insertions
    (pron_miscue); long pauses inside a sentence become UnexpectedBreak;
 5. full-text accuracy, fluency, completeness, prosody and PronScore (pron_scores,
    pron_prosody), returned in Azure's shape.
Thread-safe: the aligner serialises its own decoders; everything else is per call.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from ...errors import AnalysisError, NoSpeech, ReadingMismatch
from ..base import (
    AudioClip,
    PhonemeScore,
    PronunciationResult,
    SpeechEngine,
    WordAssessment,
    check_strictness,
    pron_score,
    to_pcm16,
)
from ..disfluency import disfluency_marks
from ..reference_text import normalise_reference, normalise_spoken, phrase_ends
from .pron_align import FRAME_RATE, Alignment, AlignmentFailed, PhoneSeg, WordSeg, get_aligner
from .pron_extras import Extra, breaks_outside_extras, find_extras, merge_extras, sound_likeness
from .pron_gop import gop_to_score, mean_score, phone_gop
from .pron_miscue import DEL, INS, MATCH, SUB, EditOp, align_words, similarity
from .pron_prosody import assess_prosody
from .pron_scores import BREAK_SECONDS, completeness, fluency, unexpected_breaks

MISMATCH_MESSAGE = ("We couldn't match your reading to the passage. "
                    "Make sure you read the text shown on the screen.")
MISPRONOUNCED_BELOW = 60.0  # word accuracy under which a word is a Mispronunciation
OMITTED_BELOW = 55.0  # a word the recogniser did not hear AND the audio does not support
OMITTED_SUB_BELOW = 25.0  # the same, for a word the recogniser heard as a different word
OMITTED_SILENCE_SHARE = 0.4  # ...which also sits mostly in what the phone loop calls silence
# An Insertion needs the recogniser to be fairly sure, a word-length span, and the
# phone loop to hear speech there: Whisper invents short words in silence and noise.
# Next to a reference word it heard exactly, a less sure extra word is believed: its
# neighbourhood was recognised well, while Whisper's invented words come with mishearings.
INSERTION_MIN_CONFIDENCE = 0.5
INSERTION_MIN_CONFIDENCE_NEAR_MATCH = 0.1
INSERTION_MIN_SECONDS = 0.15
INSERTION_MIN_SPEECH = 0.3
# Evidence from the recogniser when it heard nothing in a word's place: it often drops short
# words that were said, so silence from it is weaker evidence than hearing another word.
LIKENESS_NOTHING_HEARD = 0.25
# A different word heard with low confidence says less against the reference word.
LIKENESS_DOUBT_WEIGHT = 0.5
MISMATCH_MATCH_SHARE = 0.2  # recogniser matched fewer reference words than this...
MISMATCH_LOOP_AGREEMENT = 0.12  # ...and the phone loop agrees with this few aligned frames,
MISMATCH_CONFIDENCE = 0.7  # ...or the recogniser's mean word confidence is at least this
MIN_SPEECH_SECONDS = 0.25
# Hesitation sounds the recogniser writes down; a child saying "um" has not inserted a word.
FILLERS = frozenset({"um", "umm", "uh", "uhm", "hmm", "mm", "er", "erm", "ah", "eh", "oh"})


@dataclass(frozen=True)
class _Heard:
    word: str
    start: float
    end: float
    confidence: float


def speech_seconds(samples: np.ndarray, sr: int) -> float:
    """Seconds of 20 ms frames loud enough to be speech (> -40 dBFS and 15 dB over the floor)."""
    hop = sr // 50
    n = len(samples) // hop
    if n == 0:
        return 0.0
    frames = samples[: n * hop].astype(np.float64).reshape(n, hop)
    db = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    floor = np.percentile(db, 10)
    return float(np.sum((db > -40.0) & (db > floor + 15.0))) / 50.0


def _heard_words(engine: SpeechEngine, audio: AudioClip) -> tuple[str, list[_Heard]]:
    transcript = engine.transcribe(audio)
    heard = [
        _Heard(token, w.start, w.end, w.confidence)
        for w in transcript.words
        for token in normalise_spoken(w.text)
    ]
    return transcript.text.strip(), heard


def _align_or_mismatch(pcm: bytes, ref: Sequence[str], ops: Sequence[EditOp]) -> Alignment:
    """Align all reference words. pocketsphinx sometimes finds no path when a word is
    missing from the audio, so on failure align only the words the recogniser heard
    (then only those it heard exactly) and give the rest an empty segment, which
    scores 0 and is reported as omitted. Raises ReadingMismatch when nothing aligns."""
    aligner = get_aligner()
    try:
        return aligner.align(pcm, ref)
    except AlignmentFailed:
        pass
    if sum(o.op == MATCH for o in ops) < MISMATCH_MATCH_SHARE * len(ref):
        raise ReadingMismatch(MISMATCH_MESSAGE)  # neither the aligner nor the recogniser found it
    for allowed in ((MATCH, SUB), (MATCH,)):
        keep = [o.ref for o in ops if o.ref is not None and o.op in allowed]
        if not keep:
            continue
        try:
            return _spread(aligner.align(pcm, [ref[i] for i in keep]), keep, ref)
        except AlignmentFailed:
            continue
    raise ReadingMismatch(MISMATCH_MESSAGE)


def _spread(partial: Alignment, keep: Sequence[int], ref: Sequence[str]) -> Alignment:
    # Re-index a partial alignment to the full reference; dropped words get a
    # zero-length segment at the end of the previous word, with one unscorable phone.
    by_ref = dict(zip(keep, partial.words, strict=True))
    words, at = [], 0
    for i, w in enumerate(ref):
        seg = by_ref.get(i)
        if seg:
            words.append(replace(seg, index=i))
            at = seg.end
        else:
            words.append(WordSeg(w, i, at, 0, 0, (PhoneSeg("SIL", at, 0, -10**6),)))
    return Alignment(tuple(words), partial.n_frames, partial.g2p_sources)


def _loop_agreement(alignment: Alignment, loop: np.ndarray) -> float:
    """Share of aligned phone frames where the free phone loop chose the same phone."""
    hits = total = 0
    for w in alignment.words:
        for p in w.phones:
            hits += int(np.sum(loop[p.start: p.start + p.frames] == p.phone))
            total += p.frames
    return hits / total if total else 0.0


def _silence_share(start: int, frames: int, loop: np.ndarray) -> float:
    span = loop[start: start + max(frames, 1)]
    return float(np.mean(span == "")) if len(span) else 1.0


def _omitted(word: WordSeg, op: str, accuracy: float, loop: np.ndarray) -> bool:
    """A reference word counts as not said when the recogniser did not hear it, the audio
    does not support it, and either nothing was heard in its place, the aligner had
    to squeeze it to the minimum length (3 frames a phone), or it sits in silence."""
    if op == MATCH or accuracy >= OMITTED_BELOW:
        return False
    if op == DEL:
        return True
    # Heard as another word: only "not said" when the audio clearly has no room for it.
    squeezed = word.frames <= 4 * len(word.phones)
    in_silence = _silence_share(word.start, word.frames, loop) >= OMITTED_SILENCE_SHARE
    return accuracy < OMITTED_SUB_BELOW and (squeezed or in_silence)


def _real_insertion(h: _Heard, loop: np.ndarray, near_match: bool) -> bool:
    """True when a recognised extra word is believable (see INSERTION_* thresholds)."""
    frames = int((h.end - h.start) * FRAME_RATE)
    sure = h.confidence >= (INSERTION_MIN_CONFIDENCE_NEAR_MATCH if near_match else INSERTION_MIN_CONFIDENCE)
    return (sure and h.end - h.start >= INSERTION_MIN_SECONDS
            and 1.0 - _silence_share(int(h.start * FRAME_RATE), frames, loop) >= INSERTION_MIN_SPEECH)


def _insertions_kept(ops: Sequence[EditOp], heard: Sequence[_Heard], loop: np.ndarray) -> list[EditOp]:
    """*ops* without the insertions that are not believable."""
    kept = []
    for k, o in enumerate(ops):
        if o.op == INS:
            # The nearest reference words on either side, skipping other insertions.
            before = next((p.op for p in reversed(ops[:k]) if p.op != INS), MATCH)
            after = next((p.op for p in ops[k + 1:] if p.op != INS), MATCH)
            if not _real_insertion(heard[o.hyp], loop, near_match=MATCH in (before, after)):
                continue
        kept.append(o)
    return kept


def _unexplained_insertions(ref: Sequence[str], heard: Sequence[_Heard],
                            ops: Sequence[EditOp]) -> list[tuple[float, float]]:
    """(start, end) in seconds of each believable word the recogniser heard beyond the passage
    that engines.disfluency's text rule does not call a repetition or a try: a real extra word,
    which accounts for the extra audio there better than a repeat of a passage word does."""
    texts = [heard[o.hyp].word if o.op == INS else ref[o.ref] for o in ops]
    kinds = ["Insertion" if o.op == INS else "Omission" if o.op == DEL else "None" for o in ops]
    said_as = [heard[o.hyp].word if o.hyp is not None else ref[o.ref] for o in ops]
    marks = disfluency_marks(texts, kinds, said_as, sound_likeness)
    return [(heard[o.hyp].start, heard[o.hyp].end) for k, o in enumerate(ops) if o.op == INS and k not in marks]


def heard_likeness(ref: Sequence[str], heard: Sequence[_Heard], ops: Sequence[EditOp]) -> list[float]:
    """For each reference word, how much what the recogniser heard in its place supports it:
    1 when heard exactly; for another word, the share of phones in common, raised towards 1
    the less sure the recogniser was; LIKENESS_NOTHING_HEARD when nothing was heard."""
    aligner = get_aligner()
    out = [LIKENESS_NOTHING_HEARD] * len(ref)
    for o in ops:
        if o.op == MATCH:
            out[o.ref] = 1.0
        elif o.op == SUB:
            h = heard[o.hyp]
            alike = similarity(aligner.phones_of(ref[o.ref]), aligner.phones_of(h.word))
            out[o.ref] = alike + (1.0 - alike) * LIKENESS_DOUBT_WEIGHT * (1.0 - h.confidence)
    return out


class LocalPronunciationAssessor:
    """PronunciationAssessor that runs fully offline on CPU."""

    name = "local:pocketsphinx-gop"

    def __init__(self, engine: SpeechEngine) -> None:
        self._engine = engine

    def assess(self, audio: AudioClip, reference_text: str, *, strictness: str = "gentle") -> PronunciationResult:
        """Score *audio* against *reference_text*.

        Raises NoSpeech for silence, ReadingMismatch when the reading is not of this
        text, AnalysisError for a text with no readable words, ValueError for an
        unknown strictness. Word list: every reference word once, in order, plus
        insertions placed where they were heard.
        """
        check_strictness(strictness)
        ref = normalise_reference(reference_text)
        if not ref:
            raise AnalysisError("The passage has no words to read.", code="empty_reference")
        if audio.sample_rate != 16_000:
            raise ValueError("audio must be 16 kHz")
        if speech_seconds(audio.samples, audio.sample_rate) < MIN_SPEECH_SECONDS:
            raise NoSpeech("We couldn't hear any speech. Check your microphone and try again.")
        recognised, heard = _heard_words(self._engine, audio)
        heard = [h for h in heard if h.word not in FILLERS or h.word in ref]  # "oh" may be in the text
        ops = align_words(ref, [h.word for h in heard])
        pcm = to_pcm16(audio.samples)
        aligner = get_aligner()
        alignment = _align_or_mismatch(pcm, ref, ops)
        loop = aligner.phone_loop(pcm)
        unexplained = _unexplained_insertions(ref, heard, _insertions_kept(ops, heard, loop.phones))
        spans = [(h.start, h.end) for h in heard]
        alignment, said_again = find_extras(aligner, pcm, ref, alignment, spans, unexplained)
        return self._score(audio, reference_text, ref, recognised, heard, ops, alignment, loop.phones, said_again,
                           strictness)

    def _score(self, audio: AudioClip, reference_text: str, ref: Sequence[str], recognised: str,
               heard: Sequence[_Heard], ops: Sequence[EditOp], alignment: Alignment,
               loop: np.ndarray, said_again: Sequence[Extra], strictness: str) -> PronunciationResult:
        ref_op = {o.ref: o.op for o in ops if o.ref is not None}
        matched = [ref_op[i] == MATCH for i in range(len(ref))]
        likeness = heard_likeness(ref, heard, ops)
        phone_scores = [self._phones(w, loop, likeness[w.index], strictness) for w in alignment.words]
        match_share = sum(matched) / len(ref)
        accuracy = [mean_score(p.accuracy for p in ps) for ps in phone_scores]
        said = [not _omitted(w, ref_op[w.index], accuracy[w.index], loop) for w in alignment.words]
        # The recogniser heard almost none of the words, AND either it was sure of what
        # it heard instead, or the phone loop almost never agrees with the aligned
        # phones. A low match alone is usually a weak reader (and a weak recogniser),
        # who should get low scores rather than "that's not the passage".
        agree = _loop_agreement(alignment, loop)
        sure = mean_score(h.confidence for h in heard) >= MISMATCH_CONFIDENCE
        if match_share < MISMATCH_MATCH_SHARE and (sure or agree < MISMATCH_LOOP_AGREEMENT):
            raise ReadingMismatch(MISMATCH_MESSAGE)
        ops = _insertions_kept(ops, heard, loop)
        breaks = unexpected_breaks(alignment.words, said, phrase_ends(reference_text), strictness)
        breaks = breaks_outside_extras(breaks, alignment.words, said, said_again, BREAK_SECONDS[strictness])
        said_as = [heard[o.hyp].word if o.hyp is not None else ref[o.ref] for o in ops]  # what was heard, per entry
        words = self._word_list(alignment, phone_scores, accuracy, said, breaks, ops, heard)
        words = merge_extras(words, said_again, said_as)
        flu = fluency(alignment.words, said)
        said_words = [w for w, s in zip(alignment.words, said, strict=True) if s]
        prosody = assess_prosody(audio.samples, audio.sample_rate, said_words)
        acc = mean_score(a for a, s in zip(accuracy, said, strict=True) if s)
        comp = completeness(said)
        extras = {
            "strictness": strictness,
            "words_not_in_dictionary": sorted(w for w, src in alignment.g2p_sources.items() if src != "dict"),
            "fluency_detail": {"pause_ratio": round(flu.pause_ratio, 3),
                               "phones_per_second": round(flu.phones_per_second, 2)},
            "prosody_detail": {"pitch_range_semitones": round(prosody.pitch_range_st, 2),
                               "stress_contrast_db": round(prosody.stress_contrast_db, 2),
                               "rhythm_npvi": round(prosody.rhythm_npvi, 1)},
            "recognised_word_match_share": round(match_share, 3),
            "phone_loop_agreement": round(agree, 3),
        }
        return PronunciationResult(
            accuracy=acc, fluency=flu.score, completeness=comp, prosody=prosody.score,
            pron_score=pron_score(acc, flu.score, comp, prosody.score), words=tuple(words),
            recognized_text=recognised, reference_text=reference_text, engine=self.name, extras=extras,
        )

    @staticmethod
    def _phones(word, loop: np.ndarray, heard: float, strictness: str) -> tuple[PhonemeScore, ...]:
        return tuple(
            PhonemeScore(p.phone, gop_to_score(phone_gop(p, loop, heard), strictness),
                         p.start / FRAME_RATE, (p.start + p.frames) / FRAME_RATE)
            for p in word.phones
        )

    @staticmethod
    def _word_list(alignment: Alignment, phone_scores, accuracy, said, breaks, ops: Sequence[EditOp],
                   heard: Sequence[_Heard]) -> list[WordAssessment]:
        out: list[WordAssessment] = []
        for o in ops:
            if o.op == INS:
                h = heard[o.hyp]
                out.append(WordAssessment(h.word, h.start, max(h.end - h.start, 0.0), 0.0, "Insertion"))
                continue
            w = alignment.words[o.ref]
            if not said[o.ref]:
                error = "Omission"
            elif accuracy[o.ref] < MISPRONOUNCED_BELOW:
                error = "Mispronunciation"
            elif o.ref in breaks:
                error = "UnexpectedBreak"
            else:
                error = "None"
            acc = 0.0 if error == "Omission" else accuracy[o.ref]
            out.append(WordAssessment(alignment.words[o.ref].word.split("(")[0], w.start / FRAME_RATE,
                                      w.frames / FRAME_RATE, acc, error,
                                      () if error == "Omission" else phone_scores[o.ref]))
        return out
