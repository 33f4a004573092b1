"""Report periods and the tutorial catalogue and matching: pure functions, no database."""

from datetime import date

import pytest

from app.analytics.matching import recommend
from app.analytics.periods import Period, PeriodError, parse_period
from app.analytics.tutorials import SKILLS, by_id, catalogue, tutorials_for

TODAY = date(2026, 11, 24)


def test_default_is_the_last_14_days_and_the_previous_period_is_as_long():
    period = parse_period({}, TODAY)
    assert (period.first, period.last, period.days) == (date(2026, 11, 11), TODAY, 14)
    assert period.previous() == Period(date(2026, 10, 28), date(2026, 11, 10))
    assert period.end.isoformat() == "2026-11-25T00:00:00+00:00"


def test_date_range_is_inclusive():
    period = parse_period({"from": "2026-11-01", "to": "2026-11-01"}, TODAY)
    assert period.days == 1 and period.key == "2026-11-01..2026-11-01"


@pytest.mark.parametrize(
    "args, field",
    [
        ({"days": "abc"}, "days"),
        ({"days": "0"}, "days"),
        ({"days": "-3"}, "days"),
        ({"days": "367"}, "days"),
        ({"from": "2026-11-01"}, "to"),
        ({"to": "2026-11-01"}, "from"),
        ({"from": "2026-13-01", "to": "2026-11-01"}, "from"),
        ({"from": "2026-11-10", "to": "2026-11-01"}, "to"),
        ({"from": "2026-11-1", "to": "2026-11-02"}, "from"),
        ({"from": "2024-01-01", "to": "2026-11-01"}, "from"),
        ({"from": "2026-12-01", "to": "2026-12-02"}, "from"),
        ({"days": "7", "from": "2026-11-01", "to": "2026-11-02"}, "days"),
    ],
)
def test_bad_periods_are_refused_with_the_field(args, field):
    with pytest.raises(PeriodError) as exc:
        parse_period(args, TODAY)
    assert exc.value.field == field and str(exc.value)


def test_catalogue_covers_every_skill_with_short_lessons():
    assert len(catalogue()) >= 30 and len({t.id for t in catalogue()}) == len(catalogue())
    assert by_id("th-tongue").skill == "sound_th_voiceless" and by_id("nope") is None
    for skill in SKILLS:
        assert tutorials_for(skill), f"no tutorial trains {skill}"
    for needed in (
        "sound_th_voiceless",
        "sound_th_voiced",
        "sound_v_w",
        "sound_r_l",
        "sound_i_ee",
        "word_stress",
        "intonation",
        "pacing",
        "fillers",
        "pausing",
        "linking_words",
        "past_tense",
        "present_perfect",
        "conditionals",
        "vocabulary_range",
        "topic_relevance",
        "structure",
    ):
        assert needed in SKILLS
    assert all(t.skill in SKILLS and 5 <= t.minutes <= 20 and t.summary and t.exercise for t in catalogue())


def weakness(key, score=30.0):
    return {"key": key, "label": SKILLS[key], "score": score, "detail": f"{key} detail with numbers 3 of 10."}


def test_tutorials_follow_the_weaknesses_in_order_with_a_reason():
    chosen = recommend([weakness("sound_th_voiceless", 41), weakness("fillers", 50)], "B1")
    assert [t["id"] for t in chosen] == ["th-tongue", "fillers-swap", "fillers-thinking-phrases"]
    assert [t["skill"] for t in chosen] == ["sound_th_voiceless", "fillers", "fillers"]
    assert "41/100" in chosen[0]["why"] and "sound_th_voiceless detail" in chosen[0]["why"]
    assert chosen[0]["for_skill"] == SKILLS["sound_th_voiceless"]


@pytest.mark.parametrize(
    "level, expected",
    [
        ("A2", ["structure-pree"]),  # the B1 activity is too hard for an A2 class
        ("B1", ["structure-pree", "structure-hook-close"]),
        ("A1", ["structure-pree", "structure-hook-close"]),  # nothing is easy enough: offer what there is
        (None, ["structure-pree", "structure-hook-close"]),
    ],
)
def test_level_filter(level, expected):
    assert [t["id"] for t in recommend([weakness("structure")], level)] == expected


def test_at_most_six_and_no_duplicates():
    many = [weakness(k) for k in ("pacing", "fillers", "pausing", "structure", "intonation", "fillers")]
    chosen = recommend(many, "C1")
    ids = [t["id"] for t in chosen]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert recommend([], "B1") == []
