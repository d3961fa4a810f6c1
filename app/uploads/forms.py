"""The file field other forms reuse: several files, the accepted extensions offered by the
browser's picker (the service checks the bytes whatever the picker let through)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField

from app.uploads.sniff import ALLOWED


def attachments_field(label=_l("Attachments")) -> MultipleFileField:
    return MultipleFileField(label, render_kw={"accept": ",".join(f".{ext}" for ext in ALLOWED)})
