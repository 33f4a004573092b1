from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from .passwords import password_problem
from .services import find_user_by_email


class LoginForm(FlaskForm):
    login = StringField(
        "Username or email",
        validators=[DataRequired(message="Enter your username or email address."), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password.")],
                             render_kw={"autocomplete": "current-password"})
    remember_me = BooleanField("Keep me logged in on this device (not on a shared computer)")
    submit = SubmitField("Log in")


class NewPasswordMixin:
    """A password to choose, checked against the rules for the account it is for.

    The view sets ``adult`` and ``user_inputs`` (name, email) before validating.
    """

    adult = False
    user_inputs: tuple = ()

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", adult=self.adult, user_inputs=self._inputs())
        if problem:
            raise ValidationError(problem)

    def _inputs(self) -> tuple:
        typed = tuple(getattr(self, name).data for name in ("name", "email") if hasattr(self, name))
        return tuple(self.user_inputs) + typed


class SignupForm(NewPasswordMixin, FlaskForm):
    """Public sign-up, for students only: teachers join by their school's invitation."""

    name = StringField("Your name", validators=[DataRequired(message="Tell us your name."), Length(max=120)])
    email = EmailField(
        "Email",
        validators=[
            DataRequired(message="Enter your email address."),
            Email(message="That doesn't look like an email address.", check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField("Password", validators=[InputRequired(message="Choose a password.")],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Create account")

    def validate_email(self, field) -> None:
        if find_user_by_email(field.data or "") is not None:
            raise ValidationError("An account with this email already exists. Try logging in.")


class WebSignupForm(SignupForm):
    """The browser form asks for the password twice; API clients send it once."""

    confirm = PasswordField(
        "Type the password again", validators=[EqualTo("password", message="The two passwords don't match.")],
        render_kw={"autocomplete": "new-password"},
    )


def _new_password(label: str = "New password") -> PasswordField:
    return PasswordField(label, validators=[InputRequired(message="Choose a password.")],
                         render_kw={"autocomplete": "new-password"})


def _confirm() -> PasswordField:
    return PasswordField("Type it again", validators=[EqualTo("password", message="The two passwords don't match.")],
                         render_kw={"autocomplete": "new-password"})


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    password = _new_password()
    confirm = _confirm()
    submit = SubmitField("Save password")


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(message="Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password()
    confirm = _confirm()
    submit = SubmitField("Change password")


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Your email",
        validators=[DataRequired(message="Enter your email address."),
                    Email(message="That doesn't look like an email address.", check_deliverability=False)],
    )
    submit = SubmitField("Email me a link")
