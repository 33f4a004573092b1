"""Counts and lengths of time in plain English."""
import pytest

from app.analysis.wording import plural, spoken_time


@pytest.mark.parametrize(("count", "noun", "text"), [
    (0, "speech", "0 speeches"), (1, "speech", "1 speech"), (2, "student", "2 students"),
    (1, "time", "1 time"), (3, "time", "3 times"), (1.5, "minute", "1.5 minutes"), (1200, "word", "1,200 words"),
    (1, "class", "1 class"), (2, "class", "2 classes"), (2, "person", "2 people"),
])
def test_plural(count, noun, text):
    assert plural(count, noun) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "no speaking"), (0, "no speaking"), (0.4, "1 second"), (30, "30 seconds"), (59.4, "59 seconds"),
    (59.6, "1 minute"), (90, "2 minutes"), (600, "10 minutes"),
])
def test_spoken_time_never_says_zero_minutes(seconds, text):
    assert spoken_time(seconds) == text
