"""The teacher's forms: classes and their settings, topics, and the review of a session."""
from __future__ import annotations

import math

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.analysis.engines.base import STRICTNESS_LEVELS
from app.analysis.norms import orf_grades
from app.practice.reading_review import MARK_LABELS

TITLE_MAX = 200
PROMPT_MAX = 2000
NOTE_MAX = 2000
# What a datetime-local input sends, with or without seconds.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]

STRICTNESS_LABELS = {
    "gentle": "Gentle — for young learners; only clear mistakes count",
    "standard": "Standard",
    "strict": "Strict — near-native accuracy expected",
}


def _grade_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # refused by the form's validator


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class ClassForm(FlaskForm):
    name = StringField(
        "Class name",
        filters=[_stripped],
        validators=[
            DataRequired(message="Give the class a name."), Length(max=120, message="Keep it under 120 characters.")
        ],
        render_kw={"placeholder": "e.g. Year 7 English"},
    )
    submit = SubmitField("Create class")


class ClassSettingsForm(FlaskForm):
    name = ClassForm.name
    inactive_after_days = IntegerField(
        "Flag students who have not practised for this many days",
        validators=[
            InputRequired(message="Give a number of days."),
            NumberRange(min=1, max=90, message="Choose between 1 and 90 days."),
        ],
    )
    pronunciation_strictness = RadioField(
        "Pronunciation strictness",
        choices=[SelectChoice(level, STRICTNESS_LABELS[level]) for level in STRICTNESS_LEVELS],
        validators=[InputRequired(message="Choose how strictly pronunciation is graded.")],
    )
    reading_norms_grade = SelectField(
        "Compare reading fluency with grade-level norms",
        choices=[SelectChoice("", "Off — show no norms")]
        + [SelectChoice(str(g), f"Grade {g} (first-language readers)") for g in orf_grades()],
        coerce=_grade_or_none,
        validate_choice=False,
    )
    submit = SubmitField("Save settings")

    def validate_reading_norms_grade(self, field):
        if field.data is not None and field.data not in orf_grades():
            raise ValidationError("Choose a grade the published norms cover, or Off.")


class EmptyForm(FlaskForm):
    """CSRF only, for POST buttons."""

    submit = SubmitField("Go")


KIND_CHOICES = [
    SelectChoice("impromptu", "Speaking topic (impromptu speech)"),
    SelectChoice("pronunciation", "Pronunciation passage (read aloud)"),
]


class TopicForm(FlaskForm):
    """What every topic has. A speaking topic adds its timings, a reading passage its library picker
    and due day: each kind's form shows only its own fields (topic_form_class chooses)."""

    kind = HiddenField("Kind", default="impromptu",
                       validators=[AnyOf([c.value for c in KIND_CHOICES], message="Not a valid choice.")])
    title = StringField(
        "Title",
        filters=[_stripped],
        validators=[
            DataRequired(message="Give the topic a title."),
            Length(max=TITLE_MAX, message=f"Keep the title under {TITLE_MAX} characters."),
        ],
    )
    prompt = TextAreaField(
        "Prompt",
        filters=[_stripped],
        validators=[
            DataRequired(message="Write the prompt students will see."),
            Length(max=PROMPT_MAX, message=f"Keep the prompt under {PROMPT_MAX:,} characters."),
        ],
    )
    opens_at = DateTimeLocalField("Opens (UTC, optional)", validators=[Optional()], format=DATETIME_FORMATS)
    closes_at = DateTimeLocalField("Closes (UTC, optional)", validators=[Optional()], format=DATETIME_FORMATS)
    submit = SubmitField("Save topic")

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The closing time must be after the opening time.")


class SpeakingTopicForm(TopicForm):
    prep_seconds = IntegerField(
        "Preparation time (seconds)",
        default=30,
        validators=[
            InputRequired(message="Give the preparation time."),
            NumberRange(min=0, max=600, message="Between 0 and 600 seconds."),
        ],
    )
    speaking_seconds = IntegerField(
        "Speaking time (seconds)",
        default=60,
        validators=[
            InputRequired(message="Give the speaking time."),
            NumberRange(min=10, max=600, message="Between 10 and 600 seconds."),
        ],
    )


class ReadingPassageForm(TopicForm):
    passage = SelectField("Pick a passage from the library", choices=[], validate_choice=False)
    prompt = TextAreaField(
        "The passage to read aloud",
        filters=[_stripped],
        validators=[
            DataRequired(message="Write or pick the passage students will read."),
            Length(max=PROMPT_MAX, message=f"Keep the prompt under {PROMPT_MAX:,} characters."),
        ],
    )
    due_on = DateField("Due (optional)", validators=[Optional()])
    submit = SubmitField("Save passage")


def topic_form_class(kind: str | None, passage: str | None = None) -> type[TopicForm]:
    """A picked library passage makes a reading; otherwise the kind asked for (a speaking topic by default)."""
    return ReadingPassageForm if passage or kind == "pronunciation" else SpeakingTopicForm


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Comment for the student",
        filters=[_stripped],
        validators=[
            DataRequired(message="Write a comment first."),
            Length(max=NOTE_MAX, message=f"Keep the comment under {NOTE_MAX:,} characters."),
        ],
    )
    submit = SubmitField("Add comment")


class ScoreField(FloatField):
    """Shows 88 rather than 88.0 when the saved score is whole."""

    def _value(self):
        if not self.raw_data and self.data is not None:
            return f"{self.data:g}"
        return super()._value()


class OverrideForm(FlaskForm):
    score = ScoreField(
        "Your score (0–100)",
        validators=[
            InputRequired(message="Give a score from 0 to 100."),
            NumberRange(min=0, max=100, message="The score must be between 0 and 100."),
        ],
    )
    reason = TextAreaField(
        "Reason (the student sees it)",
        filters=[_stripped],
        validators=[
            DataRequired(message="Say why you changed the score."),
            Length(max=NOTE_MAX, message=f"Keep the reason under {NOTE_MAX:,} characters."),
        ],
    )
    submit = SubmitField("Override score")

    def validate_score(self, field):
        # NaN slips through NumberRange because every comparison with it is false.
        if field.data is not None and not math.isfinite(field.data):
            raise ValidationError("The score must be between 0 and 100.")


class WordReviewForm(FlaskForm):
    """A teacher's mark on one word of a reading (the word's index is in the URL)."""

    error_type = SelectField("Your mark", choices=[SelectChoice(mark, label) for mark, label in MARK_LABELS.items()])
