"""Library forms: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from app.forms import Form
from app.forum.planned_forms import ScheduleFields
from app.library.labels import KIND_LABELS
from app.uploads.forms import upload_field


class ItemForm(ScheduleFields):  # a publication moment: the leads only
    kind = SelectField(_l("What do you add?"), choices=lambda: list(KIND_LABELS.items()),
                       default="link")
    title = StringField(_l("Title"), validators=[InputRequired()])
    description = TextAreaField(_l("Short description"))
    category = SelectField(_l("Category"), choices=[])
    url = StringField(_l("Web address"))
    file = upload_field(_l("File"))
    from_leads = BooleanField(_l("Show as from the facilitators (the group is told about it)"))


class EditItemForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired()])
    description = TextAreaField(_l("Short description"))
    category = SelectField(_l("Category"), choices=[])
    url = StringField(_l("Web address"))
    file = upload_field(_l("Another file in its place"))
    from_leads = BooleanField(_l("Show as from the facilitators (the group is told about it)"))


class CategoryForm(Form):
    name = StringField(_l("Name"), validators=[InputRequired()])
