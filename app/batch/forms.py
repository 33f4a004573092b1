"""The batch page's forms: confirm (or change) one file's student, and confirm every proposed match."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired


class ConfirmMatchForm(FlaskForm):
    student_id = SelectField("Student speaking", coerce=int, choices=[],
                             validators=[InputRequired(message="Choose the student speaking in this recording.")])
    submit = SubmitField("Confirm")


class ConfirmAllForm(FlaskForm):
    submit = SubmitField("Confirm all proposed matches")
