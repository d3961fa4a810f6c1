"""Operator forms: shape and CSRF only; app/admin/service.py decides what is acceptable."""
from flask_babel import lazy_gettext as _l
from app.forms import Form
from wtforms import BooleanField, DateField, EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange


class RentalForm(Form):
    """What a rental says: the operator may change all of it but the web address."""

    name = StringField(_l("Name"), validators=[InputRequired()])
    theme = StringField(_l("Theme"))
    description = TextAreaField(_l("Short description"))
    renter = StringField(_l("Renter (organisation or person)"), validators=[InputRequired()])
    rental_start = DateField(_l("Rental starts"), validators=[InputRequired()])
    rental_end = DateField(_l("Rental ends (last day)"), validators=[InputRequired()])
    seat_limit = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=2, max=10000)])


class SpaceForm(RentalForm):
    slug = StringField(_l("Web address (…/s/address/)"), validators=[InputRequired()])
    facilitator_email = EmailField(_l("Email of the first facilitator"), validators=[InputRequired()])


class ExtendForm(Form):
    rental_end = DateField(_l("New last day of the rental"), validators=[InputRequired()])


class EndForm(Form):
    confirm = BooleanField(_l("Yes, end this rental now: the group can only read from today"),
                           validators=[InputRequired(_l("Tick the box to confirm."))])


class FirstFacilitatorForm(Form):
    email = EmailField(_l("Email address"), validators=[InputRequired()])
