"""The two forms of /account/delete: what to erase and what happens to the posts, then the
confirmation that it cannot be undone."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.validators import AnyOf, DataRequired, InputRequired

from app.erasure.service import CHOICES, DELETE_POSTS, KEEP_ANONYMOUS
from app.forms import Form

ACCOUNT = "account"

POST_CHOICES = [
    (DELETE_POSTS, _l("Delete my messages. The replies of others stay readable.")),
    (KEEP_ANONYMOUS, _l("Keep my messages, without my name: they show \"former member\".")),
]


class EraseChoiceForm(Form):
    # The choices of `scope` (the account, or one of the user's own memberships) are set by
    # the view; an id that is not one of them is a 404, not a form error.
    scope = RadioField(_l("What do you want to erase?"), validate_choice=False,
                       validators=[InputRequired(_l("Choose what you want to erase."))])
    posts = RadioField(_l("What happens to your messages?"), choices=POST_CHOICES,
                       validators=[InputRequired(_l("Choose what happens to your messages."))])


class EraseConfirmForm(Form):
    scope = HiddenField()
    posts = HiddenField(validators=[AnyOf(CHOICES, _l("Choose what happens to your messages."))])
    understood = BooleanField(
        _l("I understand that this cannot be undone, not even by a facilitator."),
        validators=[DataRequired(_l("Tick the box to confirm."))])
