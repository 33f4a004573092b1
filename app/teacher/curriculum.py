"""A class's curriculum goals: the form (shared by the page and the JSON API) and its parsing."""
from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.analysis.context import GRAMMAR_STRUCTURES

from .forms import NOTE_MAX, _stripped

VOCABULARY_MAX_WORDS = 100
WORD_MAX = 60
RUBRIC_ROWS_SHOWN = 4
RUBRIC_ROWS_MAX = 12
# Words are typed one a line or comma-separated, whichever the teacher finds quicker.
WORD_SEPARATORS = re.compile(r"[\n,;]+")


def split_vocabulary(text: str | None) -> list[str]:
    """The words as typed, trimmed, inner spaces collapsed, blanks dropped (duplicates kept)."""
    words = (" ".join(part.split()) for part in WORD_SEPARATORS.split(text or ""))
    return [w for w in words if w]


class RubricRowForm(Form):
    """One criterion; a row left completely empty is ignored."""

    name = StringField(
        "Criterion",
        filters=[_stripped],
        validators=[Optional(), Length(max=80, message="Keep it under 80 characters.")],
    )
    description = StringField(
        "What it looks like",
        filters=[_stripped],
        validators=[Optional(), Length(max=300, message="Keep it under 300 characters.")],
    )
    weight = IntegerField(
        "Weight (%)", validators=[Optional(), NumberRange(min=1, max=100, message="A weight is between 1 and 100.")]
    )


class CurriculumForm(FlaskForm):
    grammar_focus = SelectMultipleField(
        "Grammar focus",
        choices=[SelectChoice(key, label) for key, label in GRAMMAR_STRUCTURES.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    grammar_notes = TextAreaField(
        "Grammar notes",
        filters=[_stripped],
        validators=[Length(max=NOTE_MAX, message=f"Keep the notes under {NOTE_MAX:,} characters.")],
    )
    vocabulary = TextAreaField("Target vocabulary (one word or phrase a line, or separated by commas)")
    rubric = FieldList(FormField(RubricRowForm), min_entries=RUBRIC_ROWS_SHOWN, max_entries=RUBRIC_ROWS_MAX)
    submit = SubmitField("Save curriculum")

    def validate_grammar_focus(self, field):
        # SelectMultipleField already refuses unknown keys; this keeps one entry per structure.
        field.data = list(dict.fromkeys(field.data or []))

    def validate_vocabulary(self, field):
        words = split_vocabulary(field.data)
        if len(words) > VOCABULARY_MAX_WORDS:
            raise ValidationError(f"Up to {VOCABULARY_MAX_WORDS} words, please; you gave {len(words)}.")
        long = [w for w in words if len(w) > WORD_MAX]
        if long:
            raise ValidationError(
                f"“{long[0][:30]}…” is too long for one word or phrase (up to {WORD_MAX} characters)."
            )
        seen: dict[str, str] = {}
        repeats = []
        for word in words:
            key = word.casefold()
            if key in seen and word not in repeats:
                repeats.append(word)
            seen.setdefault(key, word)
        if repeats:
            listed = ", ".join(f"“{w}”" for w in repeats[:5])
            raise ValidationError(f"Listed twice (capitals don't matter): {listed}. Remove the repeats.")

    def validate_rubric(self, field):
        problem = False
        names: set[str] = set()
        total = 0
        for row in filled_rows(field):
            if not row.name.data:
                row.name.errors.append("Name this criterion.")
                problem = True
            elif row.name.data.casefold() in names:
                row.name.errors.append("Two criteria have this name.")
                problem = True
            names.add((row.name.data or "").casefold())
            if row.weight.data is None:
                if not row.weight.errors:
                    row.weight.errors.append("Give this criterion a weight.")
                problem = True
            else:
                total += row.weight.data
        if problem:
            raise ValidationError("Some rubric rows need fixing (see below).")
        if names and total != 100:
            raise ValidationError(f"The weights add up to {total}; they must add up to 100.")

    def vocabulary_words(self) -> list[str]:
        return split_vocabulary(self.vocabulary.data)

    def rubric_criteria(self) -> list[dict[str, Any]]:
        return [
            {"name": row.name.data, "description": row.description.data or "", "weight": row.weight.data}
            for row in filled_rows(self.rubric)
        ]

    def goal_fields(self) -> dict[str, Any]:
        """The validated form as keyword arguments of services.save_curriculum."""
        return {
            "grammar_focus": self.grammar_focus.data,
            "grammar_notes": self.grammar_notes.data,
            "vocabulary": self.vocabulary_words(),
            "rubric": self.rubric_criteria(),
        }

    def flat_errors(self) -> dict[str, list[str]]:
        """Errors keyed by input name (``rubric-0-weight``), so a JSON client can place each one."""
        errors: dict[str, list[str]] = {}
        for name, field in self._fields.items():
            if name == "rubric":
                messages = [e for e in field.errors if isinstance(e, str)]
                for row in field.entries:
                    for sub in row.form:
                        if sub.errors:
                            errors[sub.name] = list(sub.errors)
            else:
                messages = list(field.errors)
            if messages:
                errors[name] = messages
        return errors


def filled_rows(field: FieldList) -> list[RubricRowForm]:
    return [entry.form for entry in field.entries if not _blank(entry.form)]


def _blank(row: RubricRowForm) -> bool:
    raw_weight = (row.weight.raw_data or [""])[0]
    return not row.name.data and not row.description.data and not str(raw_weight).strip()


def curriculum_formdata(payload: Any) -> MultiDict:
    """The JSON body of ``PUT /api/classes/<id>/curriculum`` as the form would have posted it.

    Raises ValueError naming the field whose type is wrong, so it can become a 400.
    """
    if not isinstance(payload, dict):
        raise ValueError("body: send a JSON object.")
    data = MultiDict()
    focus = payload.get("grammar_focus", [])
    if not isinstance(focus, list) or not all(isinstance(k, str) for k in focus):
        raise ValueError("grammar_focus: send a list of structure keys.")
    for key in focus:
        data.add("grammar_focus", key)
    notes = payload.get("grammar_notes", "")
    if not isinstance(notes, str):
        raise ValueError("grammar_notes: send text.")
    data["grammar_notes"] = notes
    words = payload.get("vocabulary", [])
    if isinstance(words, list) and all(isinstance(w, str) for w in words):
        words = "\n".join(words)
    if not isinstance(words, str):
        raise ValueError("vocabulary: send a list of words.")
    data["vocabulary"] = words
    rubric = payload.get("rubric", [])
    if not isinstance(rubric, list) or len(rubric) > RUBRIC_ROWS_MAX or not all(isinstance(r, dict) for r in rubric):
        raise ValueError(f"rubric: send a list of up to {RUBRIC_ROWS_MAX} objects with name, description and weight.")
    for index, row in enumerate(rubric):
        for key in ("name", "description", "weight"):
            value = row.get(key)
            if value is not None and not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise ValueError(f"rubric-{index}-{key}: send text or a number.")
            data[f"rubric-{index}-{key}"] = "" if value is None else str(value)
    return data
