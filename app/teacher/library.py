"""The built-in read-aloud passages (app/analysis/passages.py), offered as a picker on the topic form."""
from __future__ import annotations

from wtforms import SelectChoice

from app.analysis.passages import LEVELS, PASSAGES


def passage_library() -> list[dict[str, str]]:
    """[{id, title, text, level}] of the library passages."""
    return [
        {"id": p.id, "title": p.title, "text": p.text, "level": LEVELS.get(p.level, str(p.level))}
        for p in PASSAGES
    ]


def passage_choices() -> list[SelectChoice]:
    return [SelectChoice("", "— Choose a passage, or type your own below —")] + [
        SelectChoice(p["id"], p["title"], optgroup=p["level"]) for p in passage_library()
    ]


def passage_by_id(passage_id: str) -> dict[str, str] | None:
    return next((p for p in passage_library() if p["id"] == passage_id), None)


def offer_passages(form, *, fill: bool) -> None:
    """Give a reading passage's form the library to pick from and, when *fill*, apply the pick."""
    if "passage" not in form:
        return
    form.passage.choices = passage_choices()
    if fill:
        fill_from_passage(form)


def fill_from_passage(form) -> None:
    """A picked passage fills the title and text the teacher left empty (works without JavaScript)."""
    passage = passage_by_id(form.passage.data or "")
    if passage is None:
        return
    form.kind.data = "pronunciation"
    if not form.prompt.data:
        form.prompt.data = passage["text"]
    if not form.title.data:
        form.title.data = passage["title"]
