"""File names from senders: cleaned for display (no path parts, no control or direction
characters), their extension, and the Content-Disposition header that names them safely."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

NAME_MAX = 200
FALLBACK = "bestand"
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._()\- ]+")


def clean_name(raw: str) -> str:
    """The last path part of `raw` (both slash kinds), without control and format characters
    (a right-to-left override can make "exe.pdf" read as "fdp.exe"), trimmed, at most
    NAME_MAX characters with its extension kept. Never empty, never "." or ".."."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch)[0] == "Z" else ch for ch in name
                   if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    if not name:
        return FALLBACK
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[:NAME_MAX - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:NAME_MAX]
    return name


def extension(name: str) -> str:
    """The lower-case extension without the dot ("" when there is none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def content_disposition(name: str, *, inline: bool) -> str:
    """RFC 6266: a plain ASCII `filename` for old clients and the exact name as UTF-8 in
    `filename*`; nothing in it can end the header value or add a parameter."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = _UNSAFE_ASCII.sub("_", ascii_name).strip(" ._") or FALLBACK
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
