"""The norms and score bands: defined once in app/analysis/norms.py, and read from there by every page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.analysis import norms
from app.analysis.scoring import PACE_CURVE, interp
from app.analytics.summary import WPM_EDGES

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.mark.parametrize("value, band", [
    (None, ("muted", "not scored")), (0, ("bad", "needs work")), (39.9, ("bad", "needs work")),
    (40, ("fair", "getting there")), (69.9, ("fair", "getting there")),
    (70, ("good", "strong")), (100, ("good", "strong")),
])
def test_score_bands(value, band):
    assert norms.score_band(value) == band


@pytest.mark.parametrize("wpm, where", [(119.9, "below"), (120, "inside"), (160, "inside"), (160.1, "above")])
def test_pace_band_and_its_words(wpm, where):
    assert norms.pace_band(wpm) == where
    assert norms.pace_range() == "120–160"


def test_the_pace_score_and_the_histogram_follow_the_norms():
    low, high = norms.COMFORTABLE_WPM
    assert interp(low, PACE_CURVE) == interp(high, PACE_CURVE) == 100 > interp(low - 1, PACE_CURVE)
    assert interp(norms.NOTE_WPM[0], PACE_CURVE) == interp(norms.NOTE_WPM[1], PACE_CURVE) == 70
    assert {low, high, *norms.NOTE_WPM} <= set(WPM_EDGES)


# The comfortable pace written out as a number pair, the way the copies this module replaced wrote it.
PACE_LITERALS = re.compile(
    r"120\s*(–|-|to)\s*160|\(120(\.0)?,\s*160(\.0)?\)|(wpm|pace|minute)\w*\W+[<>]=?\s*(100|120|160|180)\b"
)


def test_no_python_module_or_template_writes_the_pace_band_itself():
    copies = [
        f"{path.relative_to(APP)}:{number}"
        for path in [*APP.rglob("*.py"), *APP.rglob("*.html")] if path.name != "norms.py"
        for number, line in enumerate(path.read_text().splitlines(), 1) if PACE_LITERALS.search(line)
    ]
    assert copies == []


def test_the_published_reading_fluency_norms_carry_their_citation_and_every_cell():
    table = norms.orf_norms()
    assert table["citation"].startswith("Hasbrouck, J., & Tindal, G. (2017).")
    assert "first language" in table["population"]
    assert table["percentiles"] == [90, 75, 50, 25, 10] and table["seasons"] == ["fall", "winter", "spring"]
    assert norms.orf_grades() == [1, 2, 3, 4, 5, 6]
    for grade in table["grades"].values():
        assert len(grade["average_weekly_improvement"]) == 5
        for season in table["seasons"]:
            values = [v for v in grade[season] if v is not None]
            # Higher percentiles read faster (ties occur: grade 6's spring 10th equals its winter 10th).
            assert len(grade[season]) == 5 and values == sorted(values, reverse=True)


def test_the_median_shown_for_a_grade_is_the_published_50th_percentile():
    assert norms.ORF_PERCENTILE_SHOWN == 50
    assert norms.orf_medians(3) == {"fall": 83, "winter": 97, "spring": 112}
    assert norms.orf_medians(1) == {"fall": None, "winter": 29, "spring": 60}
    assert norms.orf_medians(6) == {"fall": 132, "winter": 145, "spring": 146}
    assert norms.orf_medians(9) == {}
