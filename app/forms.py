"""Form helpers shared by the blueprints: the base form every form derives from (it removes
NUL characters and says so at the field), refusals at their field, page and next arguments."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from babel.support import Translations
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.i18n import messages_path

from app.errors import ServiceError

NUL = "\x00"
NUL_REFUSED = _l("This text contained a character that is not allowed. We removed it: "
                 "check the text and send it again.")


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class _FormMessages:
    """WTForms' own messages ("This field is required.") in the reader's language, each
    catalogue read from disk once per process: Flask-WTF reads it again for every request
    that builds a form, a measurable share of a page (issue 12)."""

    def gettext(self, string):
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular, plural, n):
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


_FORM_MESSAGES = _FormMessages()


class Form(FlaskForm):
    """Every Kring form. A NUL character (PostgreSQL cannot store it, nobody types it) is
    removed from the text, and the form is refused at that field so the sender sees the
    cleaned text before it is saved."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _FORM_MESSAGES

        def wrap_formdata(self, form, formdata):
            formdata = super().wrap_formdata(form, formdata)
            form.nul_fields = set()
            if formdata is None or not any(
                    isinstance(value, str) and (NUL in value or NUL in key)
                    for key, value in formdata.items(multi=True)):
                return formdata
            cleaned = MultiDict()
            for key, value in formdata.items(multi=True):
                if isinstance(value, str) and (NUL in value or NUL in key):
                    key, value = key.replace(NUL, ""), value.replace(NUL, "")
                    form.nul_fields.add(key)
                cleaned.add(key, value)
            return cleaned

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        nul_fields = getattr(self, "nul_fields", set())
        for name in nul_fields:
            field = next((f for f in self if f.name == name), None)
            if field is not None and field.type not in ("HiddenField", "CSRFTokenField"):
                field.errors = [*field.errors, str(NUL_REFUSED)]
            else:
                self.form_errors.append(str(NUL_REFUSED))
        return valid and not nul_fields


class ConfirmForm(Form):
    """A button that only carries the CSRF token."""


def show_error(form, error: ServiceError) -> None:
    """Put a service's refusal next to the field it concerns (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        form.form_errors.append(error.message)


def page_arg(request) -> int:
    """?page=N as a small positive integer; anything else (text, "²", huge) is page 1."""
    value = request.args.get("page", "")
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 7 else 1


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: "/s/x/" yes; "//evil", "https://evil", "/\\evil" no."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return default
    return target
