"""Chunk planning at pauses and exact timestamp joining."""
from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from app.analysis.engines.base import AudioClip, Transcript, Word
from app.analysis.engines.local.chunking import (
    Chunk,
    join_transcripts,
    plan_chunks,
    shift_words,
    transcribe_in_chunks,
)


def test_short_speech_is_one_chunk_with_edge_padding():
    assert plan_chunks([(1.0, 4.0), (5.0, 9.0)], 12.0) == [Chunk(0.8, 9.2)]


def test_padding_never_leaves_the_recording():
    assert plan_chunks([(0.05, 2.0)], 2.1) == [Chunk(0.0, 2.1)]


def test_chunks_are_cut_in_the_middle_of_pauses():
    regions = [(0.0, 10.0), (10.4, 20.0), (20.6, 29.0), (35.0, 50.0), (50.3, 58.0)]
    chunks = plan_chunks(regions, 60.0, max_seconds=30.0)
    # 0..29 fits in 30 s with padding; 35..58 forms the second chunk.
    assert chunks == [Chunk(0.0, 29.2), Chunk(34.8, 58.2)]


def test_pause_narrower_than_padding_is_split_at_its_middle():
    chunks = plan_chunks([(0.0, 20.0), (20.2, 40.0)], 40.0, max_seconds=30.0)
    assert chunks == [Chunk(0.0, pytest.approx(20.1)), Chunk(pytest.approx(20.1), 40.0)]


def test_planned_chunks_respect_limits_and_cover_all_speech():
    rng = np.random.default_rng(1)
    t, regions = 0.0, []
    for _ in range(60):
        t += rng.uniform(0.1, 3.0)
        length = rng.uniform(0.3, 12.0)
        regions.append((t, t + length))
        t += length
    duration = t + 1.0
    chunks = plan_chunks(regions, duration, max_seconds=30.0)
    for a, b in pairwise(chunks):
        assert a.end <= b.start
    for c in chunks:
        assert 0.0 <= c.start < c.end <= duration
        assert c.end - c.start <= 30.0 + 1e-9
    for s, e in regions:
        assert any(c.start <= s and e <= c.end for c in chunks), (s, e)


def test_speech_without_pauses_is_cut_into_equal_pieces():
    chunks = plan_chunks([(0.0, 70.0)], 70.0, max_seconds=30.0)
    assert len(chunks) == 3
    assert all(c.end - c.start <= 30.0 for c in chunks)
    assert chunks[0].start == 0.0 and chunks[-1].end == 70.0
    assert chunks[0].end == pytest.approx(chunks[1].start, abs=0.01)


def test_no_regions_no_chunks():
    assert plan_chunks([], 10.0) == []


def test_shift_words_moves_times_onto_the_recording_clock_and_clamps():
    chunk = Chunk(31.5, 58.0)
    words = [Word("so", 0.0, 0.25, 0.9), Word("today", 0.3, 0.8, 0.8), Word("late", 26.2, 27.0, 0.5)]
    assert shift_words(words, chunk) == [
        Word("so", 31.5, 31.75, 0.9),
        Word("today", 31.8, 32.3, 0.8),
        Word("late", 57.7, 58.0, 0.5),  # past the chunk's end: clamped to it
    ]


def test_join_transcripts_exact_global_times_and_text():
    a = Transcript("Hello there.", (Word("Hello", 0.2, 0.6, 0.9), Word("there", 0.7, 1.0, 0.8)), 29.0, "x")
    b = Transcript(" Um, I like cats. ", (Word("Um", 0.1, 0.3, 0.4), Word("I", 0.5, 0.6, 1.0),
                                         Word("like", 0.6, 0.9, 1.0), Word("cats", 0.9, 1.4, 0.7)), 20.0, "x")
    empty = Transcript("", (), 5.0, "x")
    joined = join_transcripts(
        [(Chunk(29.5, 49.5), b), (Chunk(0.5, 29.5), a), (Chunk(49.5, 54.5), empty)],
        duration=60.0,
        engine="local:test",
    )
    assert joined.text == "Hello there. Um, I like cats."
    assert [(w.text, w.start, w.end) for w in joined.words] == [
        ("Hello", 0.7, 1.1), ("there", 1.2, 1.5),
        ("Um", 29.6, 29.8), ("I", 30.0, 30.1), ("like", 30.1, 30.4), ("cats", 30.4, 30.9),
    ]
    assert joined.duration == 60.0 and joined.engine == "local:test"


def test_transcribe_in_chunks_feeds_each_chunk_and_reports_progress():
    sr = 16_000
    samples = np.zeros(70 * sr, np.float32)
    # Mark each chunk's first sample so the fake engine can tell where its audio came from.
    regions = [(1.0, 25.0), (35.0, 55.0), (60.0, 68.0)]
    seen: list[tuple[float, int]] = []

    def fake_engine(clip: AudioClip) -> Transcript:
        seen.append((clip.duration, len(seen)))
        n = len(seen)
        return Transcript(f"part {n}", (Word(f"w{n}", 0.5, 1.0, 1.0),), clip.duration, "fake")

    progress: list[float] = []
    result = transcribe_in_chunks(AudioClip(samples), regions, fake_engine, engine="fake",
                                  max_seconds=30.0, on_progress=progress.append)
    # Chunks: [0.8, 25.2], [34.8, 55.2+...] grouped with 60-68 only if it fits: 68.2-34.8 > 30.
    assert [round(d, 2) for d, _ in seen] == [24.4, 20.4, 8.4]
    assert [(w.text, w.start) for w in result.words] == [("w1", 1.3), ("w2", 35.3), ("w3", 60.3)]
    assert result.text == "part 1 part 2 part 3"
    assert progress == sorted(progress) and progress[-1] == 1.0 and len(progress) == 3
    assert result.duration == pytest.approx(70.0)
