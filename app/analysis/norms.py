"""The norms Podium holds a speech to, and the bands scores fall into: one definition for every page.

Pace, pauses and filler words are measured against the figures teachers of spoken English
commonly use, and reports quote them beside each number. Python imports them from here;
templates read them as ``norms`` (a context processor in app/templating.py); scripts read
the values a page's JSON data block carries from here (the chart series' ``wpm_band``,
the class summary's ``delivery.bands.wpm.range``).

Reading fluency (words correct per minute) is set beside published grade-level norms only,
the ones in ``orf_norms.json`` with their citation, and only where a class turns them on.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

# Words a minute that most listeners follow easily.
COMFORTABLE_WPM = (120.0, 160.0)
# Outside this the pace is worth a note in the feedback.
NOTE_WPM = (100.0, 180.0)
# A gap between words shorter than this is ordinary articulation, not a pause.
PAUSE_SECONDS = 0.5
# A pause longer than this is a long pause.
LONG_PAUSE_SECONDS = 1.0
# Fewer filler words (um, uh...) than this per 100 words is fine.
FILLERS_PER_100_OK = 4.0
# A student averaging this many long pauses a minute or fewer is pausing calmly.
LONG_PAUSES_PER_MINUTE_OK = 2.0

# A score at or above GOOD_SCORE is strong, at or above FAIR_SCORE getting there, below it needs work.
GOOD_SCORE = 70
FAIR_SCORE = 40
# (badge class, the band in words): the words go beside the colour, so colour is never the only signal.
SCORE_BANDS = {"good": "strong", "fair": "getting there", "bad": "needs work", "muted": "not scored"}


def score_band(value: float | None) -> tuple[str, str]:
    """The band of a 0-100 score as (badge class, words)."""
    if value is None:
        key = "muted"
    elif value >= GOOD_SCORE:
        key = "good"
    elif value >= FAIR_SCORE:
        key = "fair"
    else:
        key = "bad"
    return key, SCORE_BANDS[key]


def pace_band(words_per_minute: float) -> str:
    """"below", "inside" or "above" the comfortable pace."""
    low, high = COMFORTABLE_WPM
    if words_per_minute < low:
        return "below"
    return "inside" if words_per_minute <= high else "above"


def pace_range() -> str:
    """The comfortable pace as people write it: "120–160"."""
    return "{:g}–{:g}".format(*COMFORTABLE_WPM)



# The published oral reading fluency norms (see orf_norms.json for the citation) and the
# percentile Podium shows of them: the median reader of the grade in each season.
ORF_NORMS_FILE = Path(__file__).with_name("orf_norms.json")
ORF_PERCENTILE_SHOWN = 50
# A latest WCPM this many words from the average of the earlier readings is a change, not noise
# (the published norms' median weekly growth is about one to two words).
WCPM_TREND_MARGIN = 5.0


@functools.cache
def orf_norms() -> dict:
    """The published ORF norms table: its citation, population, percentiles and grades."""
    return json.loads(ORF_NORMS_FILE.read_text(encoding="utf-8"))


def orf_grades() -> list[int]:
    """The grades the published table covers, in order."""
    return sorted(int(grade) for grade in orf_norms()["grades"])


def orf_medians(grade: int) -> dict[str, int | None]:
    """{season: WCPM at ORF_PERCENTILE_SHOWN} for *grade* (None where the table has no figure);
    {} for a grade the table does not cover."""
    table = orf_norms()
    row = table["grades"].get(str(grade))
    if row is None:
        return {}
    column = table["percentiles"].index(ORF_PERCENTILE_SHOWN)
    return {season: row[season][column] for season in table["seasons"]}
