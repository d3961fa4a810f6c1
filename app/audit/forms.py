"""The audit pages' filters: they travel in the query string (a GET form without CSRF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from app.forms import Form


class AuditFilterForm(Form):
    class Meta(Form.Meta):
        csrf = False

    event = SelectField(_l("What"), choices=[], validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Up to and including"), validators=[Optional()])
    # The operators' page only (removed on a space's page): digits, checked by the view.
    space = SelectField(_l("Group space"), choices=[], validators=[Optional()],
                        validate_choice=False)

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("Choose a day on or after the first day."))

    def validate_space(self, field):
        if field.data and not (field.data.isascii() and field.data.isdigit()):
            raise ValidationError(_l("Choose one of the offered group spaces."))
