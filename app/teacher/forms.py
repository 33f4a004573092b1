from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class ClassForm(FlaskForm):
    name = StringField(
        "Class name",
        validators=[DataRequired(message="Give the class a name."), Length(max=120, message="Keep it under 120 characters.")],
        render_kw={"placeholder": "e.g. Year 7 English"},
    )
    submit = SubmitField("Create class")
