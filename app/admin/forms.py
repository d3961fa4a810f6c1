"""Operator forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange


class SpaceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired()])
    slug = StringField(_l("Web address (…/s/address/)"), validators=[InputRequired()])
    theme = StringField(_l("Theme"))
    description = TextAreaField(_l("Short description"))
    renter = StringField(_l("Renter (organisation or person)"), validators=[InputRequired()])
    rental_start = DateField(_l("Rental starts"), validators=[InputRequired()])
    rental_end = DateField(_l("Rental ends"), validators=[InputRequired()])
    seat_limit = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=2, max=10000)])
    facilitator_email = EmailField(_l("Email of the first facilitator"), validators=[InputRequired()])
