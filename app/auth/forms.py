from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from app.models import Role

from .services import find_user_by_email


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(message="Enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password.")])
    remember_me = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(message="Tell us your name."), Length(max=120)])
    email = EmailField(
        "Email",
        validators=[
            DataRequired(message="Enter your email address."),
            Email(message="That doesn't look like an email address.", check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField("Password", validators=[InputRequired(message="Choose a password.")])
    role = RadioField(
        "I am a",
        choices=[SelectChoice(Role.STUDENT.value, "Student"), SelectChoice(Role.TEACHER.value, "Teacher")],
        default=Role.STUDENT.value,
        validators=[InputRequired(message="Choose student or teacher.")],
    )
    submit = SubmitField("Create account")

    def validate_password(self, field) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(f"Use at least {minimum} characters.")

    def validate_email(self, field) -> None:
        if find_user_by_email(field.data or "") is not None:
            raise ValidationError("An account with this email already exists. Try logging in.")


class WebSignupForm(SignupForm):
    """The browser form asks for the password twice; API clients send it once."""

    confirm = PasswordField(
        "Type the password again", validators=[EqualTo("password", message="The two passwords don't match.")]
    )
