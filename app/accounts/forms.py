"""Account forms: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField
from wtforms.validators import InputRequired


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    next = HiddenField()


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[InputRequired()])


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[InputRequired()])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    new_password = PasswordField(_l("New password"), validators=[InputRequired()])


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("nl", "Nederlands"), ("en", "English")])

