"""Split long recordings at pauses and join the per-chunk transcripts.

Whisper sees 30 s of audio at a time; cutting blindly every 30 s splits words.
Here chunks are cut in the middle of the pauses the VAD found, so every word
lives in exactly one chunk, and the per-chunk word times are moved back onto the
recording's clock when the transcripts are joined. Nothing here is specific to
one engine.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ..base import AudioClip, Transcript, Word

MAX_CHUNK_SECONDS = 30.0
# Silence kept around speech at the outer edges of a chunk, so the first and
# last phonemes are not clipped.
EDGE_PAD_SECONDS = 0.2


@dataclass(frozen=True)
class Chunk:
    start: float  # seconds on the recording's clock
    end: float


def plan_chunks(
    regions: Sequence[tuple[float, float]],
    duration: float,
    *,
    max_seconds: float = MAX_CHUNK_SECONDS,
    pad: float = EDGE_PAD_SECONDS,
) -> list[Chunk]:
    """Group speech *regions* into chunks of at most *max_seconds*.

    Guarantees: chunks are sorted, do not overlap, lie within [0, duration],
    each is at most *max_seconds* long, and every region is covered by a chunk.
    Neighbouring chunks meet in the middle of the pause between their regions.
    A single region longer than *max_seconds* (nobody pauses) is cut into equal
    pieces, the only case where a cut can fall inside speech.
    """
    spans = _split_long([(max(0.0, s), min(duration, e)) for s, e in regions if e > s], max_seconds)
    if not spans:
        return []
    # Greedily merge consecutive spans while the merged chunk (with its edge
    # padding) still fits.
    groups: list[list[tuple[float, float]]] = [[spans[0]]]
    for span in spans[1:]:
        first = groups[-1][0][0]
        if span[1] - first + 2 * pad <= max_seconds:
            groups[-1].append(span)
        else:
            groups.append([span])

    chunks: list[Chunk] = []
    for i, group in enumerate(groups):
        start, end = group[0][0], group[-1][1]
        if i == 0:
            start = max(0.0, start - pad)
        else:
            prev_end = groups[i - 1][-1][1]
            start = max(prev_end + (start - prev_end) / 2, start - pad) if start > prev_end else start
        if i == len(groups) - 1:
            end = min(duration, end + pad)
        else:
            next_start = groups[i + 1][0][0]
            end = min(end + (next_start - end) / 2, end + pad) if next_start > end else end
        chunks.append(Chunk(start, min(end, start + max_seconds)))
    return chunks


def _split_long(spans: list[tuple[float, float]], max_seconds: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    # Leave room for the edge padding so a split piece still fits in a chunk.
    limit = max(1.0, max_seconds - 2 * EDGE_PAD_SECONDS)
    for start, end in sorted(spans):
        length = end - start
        if length <= limit:
            out.append((start, end))
            continue
        pieces = int(-(-length // limit))  # ceil
        step = length / pieces
        out.extend((start + k * step, start + (k + 1) * step) for k in range(pieces))
    return out


def shift_words(words: Sequence[Word], chunk: Chunk) -> list[Word]:
    """Move words timed from the start of *chunk* onto the recording's clock.

    Guarantees: every returned time lies within [chunk.start, chunk.end] and each
    word has start <= end (models occasionally place a word past the end of the
    audio they were given).
    """
    out = []
    for w in words:
        start = min(max(chunk.start + w.start, chunk.start), chunk.end)
        end = min(max(chunk.start + w.end, start), chunk.end)
        out.append(replace(w, start=round(start, 3), end=round(end, 3)))
    return out


def join_transcripts(
    parts: Sequence[tuple[Chunk, Transcript]], *, duration: float, engine: str, language: str = "en"
) -> Transcript:
    """Join per-chunk transcripts (times relative to each chunk) into one.

    Guarantees: words are in time order on the recording's clock; the text is the
    chunk texts joined by single spaces; ``duration`` is the whole recording's.
    """
    words: list[Word] = []
    texts: list[str] = []
    for chunk, part in sorted(parts, key=lambda p: p[0].start):
        words.extend(shift_words(part.words, chunk))
        if part.text.strip():
            texts.append(part.text.strip())
    return Transcript(
        text=" ".join(texts), words=tuple(words), duration=duration, engine=engine, language=language
    )


def transcribe_in_chunks(
    clip: AudioClip,
    regions: Sequence[tuple[float, float]],
    transcribe_chunk: Callable[[AudioClip], Transcript],
    *,
    engine: str,
    max_seconds: float = MAX_CHUNK_SECONDS,
    on_progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Transcribe *clip* chunk by chunk with *transcribe_chunk* and join the results.

    *regions* are the speech regions (seconds) from the VAD. *on_progress* gets
    the fraction of speech audio done (0..1) after each chunk, ending with 1.0.
    """
    chunks = plan_chunks(regions, clip.duration, max_seconds=max_seconds)
    total = sum(c.end - c.start for c in chunks) or 1.0
    done = 0.0
    parts: list[tuple[Chunk, Transcript]] = []
    for chunk in chunks:
        parts.append((chunk, transcribe_chunk(clip.slice(chunk.start, chunk.end))))
        done += chunk.end - chunk.start
        if on_progress is not None:
            on_progress(min(1.0, done / total))
    if on_progress is not None and not chunks:
        on_progress(1.0)
    return join_transcripts(parts, duration=clip.duration, engine=engine)
