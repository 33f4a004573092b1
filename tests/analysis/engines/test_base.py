"""What both engines share: PronScore, strictness levels and the PCM conversion."""
from __future__ import annotations

import numpy as np
import pytest

from app.analysis.engines.base import check_strictness, pron_score, to_pcm16


def test_pron_score_weighs_the_weakest_score_most():
    # Azure sample: sorted ascending, 0.4 / 0.2 / 0.2 / 0.2.
    assert pron_score(90, 80, 100, 50) == pytest.approx(0.4 * 50 + 0.2 * (80 + 90 + 100))
    assert pron_score(50, 80, 100, 90) == pron_score(90, 80, 100, 50)
    assert pron_score(60, 80, 100, None) == pytest.approx(0.6 * 60 + 0.2 * 80 + 0.2 * 100)
    assert pron_score(100, 100, 100, 100) == pytest.approx(100)


def test_strictness_is_checked_against_the_levels():
    assert check_strictness("standard") == "standard"
    with pytest.raises(ValueError, match="gentle, standard, strict"):
        check_strictness("harsh")


def test_pcm16_is_little_endian_16_bit_and_clipped():
    data = to_pcm16(np.array([0.0, 0.5, -1.0, 2.0], np.float32))
    assert np.frombuffer(data, "<i2").tolist() == [0, 16383, -32767, 32767]
