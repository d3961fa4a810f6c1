"""Space forms: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from app.forms import ConfirmForm, Form
from wtforms import (
    BooleanField, DateField, EmailField, IntegerField, PasswordField, RadioField, SelectField,
    StringField, TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from app.spaces.labels import ROLE_LABELS
from app.spaces.models import CLOSED_GROUP, OPEN_GROUP
from app.spaces.rhythm import GroupRhythm


def role_choices():
    return list(ROLE_LABELS.items())


class JoinForm(Form):
    display_name = StringField(_l("Your name in this group"), validators=[InputRequired()])
    password = PasswordField(_l("Choose a password"))
    accept = BooleanField(_l("I have read the working agreements and I accept them"))


class InviteForm(Form):
    email = EmailField(_l("Email address"), validators=[InputRequired()])
    role = SelectField(_l("Role"), choices=role_choices)


class AcceptAgreementForm(Form):
    accept = BooleanField(_l("I have read the working agreements and I accept them"),
                          validators=[InputRequired()])


class AgreementEditForm(Form):
    body = TextAreaField(_l("Working agreements (Markdown)"), validators=[InputRequired()])


class SettingsForm(Form):
    name = StringField(_l("Name of the group"), validators=[InputRequired()])
    theme = StringField(_l("Theme"))
    description = TextAreaField(_l("Short description"))
    members_can_start_threads = BooleanField(_l("Members may start conversations"))
    auto_hide_threshold = IntegerField(
        _l("Hide a message automatically once this many members report it (0: never)"),
        validators=[Optional()])
    group_kind = RadioField(_l("Kind of group"), choices=[
        (OPEN_GROUP, _l("Open group: runs on, members join and leave")),
        (CLOSED_GROUP, _l("Closed group: a fixed number of sessions with a programme"))],
        default=OPEN_GROUP, validate_choice=False)
    planned_sessions = IntegerField(_l("Number of sessions (closed group)"),
                                    validators=[Optional()])
    min_members = IntegerField(_l("Smallest group size"), validators=[Optional()])
    max_members = IntegerField(_l("Largest group size"), validators=[Optional()])
    room_link_minutes = IntegerField(
        _l("Show the link to the video room this many minutes before a meeting"),
        validators=[Optional()])
    line_for_cofacilitators = BooleanField(
        _l("Co-facilitators read the line between members and facilitators"))
    overview_for_cofacilitators = BooleanField(
        _l("Co-facilitators see the participation overview"))
    silent_after_days = IntegerField(
        _l("Mark a member as silent after this many days without a message"),
        validators=[Optional()])

    def rhythm(self) -> GroupRhythm:
        return GroupRhythm(
            group_kind=self.group_kind.data or OPEN_GROUP,
            planned_sessions=self.planned_sessions.data, min_members=self.min_members.data,
            max_members=self.max_members.data, room_link_minutes=self.room_link_minutes.data,
            line_for_cofacilitators=self.line_for_cofacilitators.data,
            overview_for_cofacilitators=self.overview_for_cofacilitators.data,
            silent_after_days=self.silent_after_days.data)


class RoleForm(Form):
    # The service refuses a role that is not offered, with Kring's own words at the field.
    role = SelectField(_l("Role"), choices=role_choices, validate_choice=False)


class SuspendForm(Form):
    until = DateField(_l("Deny access until (empty: until further notice)"),
                      validators=[Optional()])


class DisplayNameForm(Form):
    display_name = StringField(_l("Your name in this group"), validators=[InputRequired()])


class RemoveForm(Form):
    confirm = BooleanField(_l("Yes, remove this member from the group"))


MEMBER_FORMS = {"role": RoleForm, "suspend": SuspendForm, "unsuspend": ConfirmForm, "remove": RemoveForm}


def member_row_form(name: str, membership) -> Form:
    """One row form of the members page (`name` in MEMBER_FORMS), bound to the posted data,
    its ids unique to that member's row (`until-7`, the field name staying `until`) so the
    error summary links to the right row."""
    form = MEMBER_FORMS[name]()
    for f in form:
        f.id = f"{f.name}-{membership.id}"
        f.label.field_id = f.id
    if name == "remove":
        form.confirm.label.text = _l("Yes, remove %(name)s from the group",
                                     name=membership.display_name)
    return form
