"""Keep students' names and emails out of quotes and out of anything sent to a language model."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from .queries import Student

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PLACEHOLDER = "[name]"


def name_parts(students: Iterable[Student]) -> set[str]:
    """Every word of every student's name, plus the local part of their email (often a name too)."""
    parts: set[str] = set()
    for s in students:
        parts.update(p for p in re.split(r"[\s\-']+", s.name.lower()) if len(p) >= 2)
        local = s.email.split("@", 1)[0].lower()
        parts.update(p for p in re.split(r"[._+\-\d]+", local) if len(p) >= 3)
    return parts


def redactor(students: Iterable[Student]) -> Callable[[str], str]:
    """A function that replaces class members' names, likely other names and any email address with [name]."""
    parts = sorted(name_parts(students), key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, parts)) + r")\b", re.IGNORECASE) if parts else None

    def redact(text: str) -> str:
        from app.analysis.redaction import redact_capitalised

        text = EMAIL.sub(PLACEHOLDER, text or "")
        text = pattern.sub(PLACEHOLDER, text) if pattern else text
        # Friends and family named in a talk are not on the roster; capitalised words catch most of them.
        return redact_capitalised(text) or ""

    return redact
