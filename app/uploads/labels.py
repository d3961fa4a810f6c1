"""Words for stored files: the kind of file by its Content-Type, and its size."""
from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "application/pdf": _l("PDF document"),
    "application/msword": _l("Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _l("Word document"),
    "application/vnd.ms-excel": _l("Excel spreadsheet"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _l("Excel spreadsheet"),
    "application/vnd.ms-powerpoint": _l("PowerPoint presentation"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation":
        _l("PowerPoint presentation"),
    "application/vnd.oasis.opendocument.text": _l("OpenDocument text"),
    "application/vnd.oasis.opendocument.spreadsheet": _l("OpenDocument spreadsheet"),
    "application/vnd.oasis.opendocument.presentation": _l("OpenDocument presentation"),
    "text/plain": _l("Text file"),
    "image/jpeg": _l("JPEG image"),
    "image/png": _l("PNG image"),
    "image/webp": _l("WebP image"),
    "audio/mpeg": _l("MP3 audio"),
    "audio/mp4": _l("M4A audio"),
}


def file_kind(content_type: str) -> str:
    return str(KIND_LABELS.get(content_type, _l("File")))


def file_size(size: int) -> str:
    """1 kB and up in kB, 1 MB and up in MB with one decimal (Dutch: "1,5 MB")."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024))} kB"
    return f"{format_decimal(round(size / (1024 * 1024), 1), format='#,##0.#')} MB"
