"""The file field other forms reuse: several files, the accepted extensions offered by the
browser's picker (the service checks the bytes whatever the picker let through)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FileField, MultipleFileField

from app.uploads.sniff import ALLOWED


ACCEPT = ",".join(f".{ext}" for ext in ALLOWED)


def attachments_field(label=_l("Attachments")) -> MultipleFileField:
    """Several files (a post's attachments); pass `form.<field>.data` to the service."""
    return MultipleFileField(label, render_kw={"accept": ACCEPT})


def upload_field(label=_l("File"), validators=()) -> FileField:
    """One file (a library item); `form.<field>.data` is a FileStorage, or None/"" when
    nothing was chosen. Show the limits with limits_hint() from uploads/_attachment.html."""
    return FileField(label, validators=list(validators), render_kw={"accept": ACCEPT})
