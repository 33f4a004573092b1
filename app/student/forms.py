from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class JoinClassForm(FlaskForm):
    join_code = StringField(
        "Class code",
        validators=[DataRequired(message="Type the code your teacher gave you."), Length(max=20)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "e.g. K7PM2QXA"},
    )
    submit = SubmitField("Join class")
