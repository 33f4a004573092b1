"""The admin's forms, the invitee's form, and the teacher's bulk-add form."""
from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from app.auth.forms import NewPasswordMixin
from app.dates import DATE_STYLES

CSV_MAX_BYTES = 200 * 1024


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class InviteForm(FlaskForm):
    email = EmailField(
        "Teacher's email",
        filters=[_stripped],
        validators=[DataRequired(message="Enter the teacher's email address."),
                    Email(message="That doesn't look like an email address.", check_deliverability=False),
                    Length(max=254)],
    )
    role = SelectField("Role", choices=[SelectChoice("teacher", "Teacher"), SelectChoice("admin", "Admin")],
                       default="teacher")
    submit = SubmitField("Send invite")


class DeactivateForm(FlaskForm):
    transfer_to = SelectField("Move their classes to", coerce=int, validators=[Optional()], choices=[])
    submit = SubmitField("Deactivate")


class SchoolSettingsForm(FlaskForm):
    name = StringField("School name", filters=[_stripped],
                       validators=[DataRequired(message="Give the school a name."), Length(max=160)])
    time_zone = StringField("Time zone", filters=[_stripped], default="UTC",
                            validators=[DataRequired(message="Give a time zone such as Europe/London.")],
                            render_kw={"list": "time-zones", "autocomplete": "off"})
    date_style = SelectField("How dates are written",
                             choices=[SelectChoice(key, example) for key, example in DATE_STYLES.items()])
    student_remember_me = BooleanField("Let students stay logged in (only if every student has their own device)")
    submit = SubmitField("Save settings")

    def validate_time_zone(self, field) -> None:
        if field.data != "UTC" and field.data not in available_timezones():
            raise ValidationError("Use a time zone name such as Europe/London or America/New_York.")


class AcceptInviteForm(NewPasswordMixin, FlaskForm):
    adult = True
    name = StringField("Your name (as students and colleagues see it)", filters=[_stripped],
                       validators=[DataRequired(message="Tell us your name."), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    password = PasswordField("Choose a password", validators=[InputRequired(message="Choose a password.")],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Type it again", validators=[EqualTo("password", message="The two passwords don't match.")],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Join")


class AddStudentsForm(FlaskForm):
    names = TextAreaField("Names, one per line", render_kw={"rows": 10, "placeholder": "Maya Patel\nLeo Novak"})
    csv_file = FileField(
        "…or a CSV file with a name column",
        validators=[FileAllowed(["csv", "txt"], "Upload a .csv file (save the spreadsheet as CSV)."),
                    FileSize(CSV_MAX_BYTES, message="That file is too big for a class list (200 KB at most).")],
    )
    submit = SubmitField("Add students and print login cards")

    def validate_names(self, field) -> None:
        if not (field.data or "").strip() and not self.csv_file.data:
            raise ValidationError("Paste the students' names or choose a CSV file.")
