"""Form helpers shared by the blueprints."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm

from app.errors import ServiceError


class ConfirmForm(FlaskForm):
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
