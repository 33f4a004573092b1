"""The built-in prompt bank: enough prompts, well formed, and a stable prompt of the day."""
import random
from datetime import date, timedelta

from app.practice.prompt_bank import PROMPTS, another_prompt, prompt_by_key, prompt_of_the_day


def test_a_few_dozen_well_formed_prompts_with_unique_keys():
    assert 30 <= len(PROMPTS) <= 60
    assert len({p.key for p in PROMPTS}) == len(PROMPTS) and len({p.title for p in PROMPTS}) == len(PROMPTS)
    for p in PROMPTS:
        assert p.prompt.endswith(("?", ".", "...'")) or p.prompt.endswith("next.")
        assert 0 < p.prep_seconds <= 60 and 30 <= p.speaking_seconds <= 120 and len(p.title) <= 200
        assert prompt_by_key(p.key) is p


def test_prompt_of_the_day_is_stable_for_a_day_and_varies_over_days():
    today = date(2026, 3, 2)
    assert prompt_of_the_day(7, today) == prompt_of_the_day(7, today)
    month = {prompt_of_the_day(7, today + timedelta(days=n)).key for n in range(30)}
    assert len(month) >= 10
    assert len({prompt_of_the_day(sid, today).key for sid in range(1, 30)}) >= 8


def test_another_prompt_never_repeats_the_current_one():
    rng = random.Random(1)
    assert all(another_prompt("superpower", rng).key != "superpower" for _ in range(200))
    assert prompt_by_key("nope") is None and prompt_by_key(None) is None
