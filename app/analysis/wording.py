"""Counts and lengths of time in plain English: "1 speech", "3 speeches", "40 seconds".

One helper for every sentence that counts something, in reports, the class report and the
pages (a Jinja filter of the same name, app/templating.py), so no page says "1 talks" or
"time(s)".
"""
from __future__ import annotations

# Nouns whose plural is not the singular plus "s".
IRREGULAR = {"speech": "speeches", "child": "children", "person": "people", "class": "classes",
             "criterion": "criteria"}


def plural_noun(count: float, singular: str, plural: str | None = None) -> str:
    """*singular* when *count* is exactly 1, else its plural."""
    if count == 1:
        return singular
    return plural or IRREGULAR.get(singular, singular + "s")


def plural(count: float, singular: str, plural: str | None = None) -> str:
    """The count and its noun: "1 speech", "0 speeches", "2.5 minutes"."""
    number = f"{count:,.0f}" if float(count).is_integer() else f"{count:,.1f}"
    return f"{number} {plural_noun(count, singular, plural)}"


def spoken_time(seconds: float | None) -> str:
    """A length of speaking as a teacher says it: "40 seconds", "1 minute", "12 minutes".

    Under a minute it counts seconds (a 30-second talk is not "0 minutes"); from a minute on,
    whole minutes, rounded.
    """
    if not seconds or seconds <= 0:
        return "no speaking"
    if seconds < 59.5:
        return plural(max(1, round(seconds)), "second")
    return plural(round(seconds / 60), "minute")
