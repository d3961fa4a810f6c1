"""Account forms: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from app.forms import Form
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired


class LoginForm(Form):
    email = EmailField(_l("Email address"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    next = HiddenField()


class ForgotForm(Form):
    email = EmailField(_l("Email address"), validators=[InputRequired()])


class ResetForm(Form):
    password = PasswordField(_l("New password"), validators=[InputRequired()])


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    new_password = PasswordField(_l("New password"), validators=[InputRequired()])


class LanguageForm(Form):
    locale = SelectField(_l("Language"), choices=[("nl", "Nederlands"), ("en", "English")])



class ConfirmIdentityForm(Form):
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    code = StringField(_l("Code from your authenticator app or a recovery code"))
    next = HiddenField()


class EmailChangeForm(Form):
    email = EmailField(_l("New email address"), validators=[InputRequired()])


class NewDeviceNoticeForm(Form):
    notify = BooleanField(_l("Email me when my account is used to log in on a new device"))


class SecondFactorForm(Form):
    """The six digits from the authenticator app (while setting it up, or at login, where a
    recovery code works too)."""
    code = StringField(_l("Code"), validators=[InputRequired()])
    next = HiddenField()
