"""What a file really is, from its bytes: the allow-list of extensions, the sniffing of the
content (filetype, zip directories, strict UTF-8 for text), and the refusal that names the
problem when the content is not what the extension says or is never accepted."""
from __future__ import annotations

import codecs
import zipfile
from typing import BinaryIO

import filetype
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import ServiceError

# extension -> (the content it must have, the Content-Type it is served with)
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "doc": ("ole", "application/msword"),
    "xls": ("ole", "application/vnd.ms-excel"),
    "ppt": ("ole", "application/vnd.ms-powerpoint"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": ("odp", "application/vnd.oasis.opendocument.presentation"),
    "txt": ("text", "text/plain"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "png": ("png", "image/png"),
    "webp": ("webp", "image/webp"),
    "mp3": ("mp3", "audio/mpeg"),
    "m4a": ("m4a", "audio/mp4"),
}
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp"})

# What is never accepted, with the reason in words, by what the bytes (or the name) show.
DANGEROUS = {
    "svg": _l("SVG images are not accepted, because they can contain scripts. Save the "
              "image as PNG or JPG."),
    "html": _l("Web pages (HTML) are not accepted, because they can contain scripts. Save "
               "it as PDF."),
    "script": _l("Scripts and program code are not accepted."),
    "exe": _l("Programs (executable files) are not accepted."),
    "archive": _l("Archives such as ZIP are not accepted. Upload the files themselves."),
}
_EXTENSION_FAMILY = {
    **dict.fromkeys(("svg", "svgz"), "svg"),
    **dict.fromkeys(("html", "htm", "xhtml", "shtml", "mht", "mhtml", "xml", "xsl"), "html"),
    **dict.fromkeys(("js", "mjs", "vbs", "vbe", "wsf", "ps1", "sh", "bash", "bat", "cmd",
                     "py", "pl", "php", "rb", "jar", "hta", "lnk", "scr"), "script"),
    **dict.fromkeys(("exe", "msi", "dll", "com", "app", "apk", "dmg", "deb", "rpm", "bin",
                     "elf"), "exe"),
    **dict.fromkeys(("zip", "rar", "7z", "gz", "tgz", "tar", "bz2", "xz", "zst", "cab",
                     "iso"), "archive"),
}
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",
                     b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_MARKUP_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe",
                  b"<meta", b"<a ", b"<div", b"<img", b"<style", b"<object", b"<embed")
_ODF = {"application/vnd.oasis.opendocument.text": "odt",
        "application/vnd.oasis.opendocument.spreadsheet": "ods",
        "application/vnd.oasis.opendocument.presentation": "odp"}
_OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ARCHIVES = frozenset({"zip", "tar", "rar", "gz", "bz2", "7z", "xz", "cab", "deb", "ar", "Z",
                       "lz", "lz4", "br", "rpm", "zst", "lzo", "crx", "epub"})
_TEXT_CONTROLS = frozenset("\t\n\r\f")
HEAD = 8192


def allowed_list() -> str:
    """The accepted extensions, for the forms and the refusals."""
    return ", ".join(ext for ext in ALLOWED if ext != "jpeg")


def _zip_kind(stream: BinaryIO) -> str:
    """docx/xlsx/pptx/odt/ods/odp from a zip's directory (nothing is unpacked but the tiny
    ODF mimetype member), or "archive" for any other zip."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    kind = _ODF.get(member.read(100).decode("ascii", "replace").strip())
                if kind:
                    return kind
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        pass
    return "archive"


def _text_kind(head: bytes, stream: BinaryIO) -> str | None:
    """"svg"/"html"/"script" for markup or a shebang, "text" for clean UTF-8 (checked to
    the end, chunk by chunk, no NUL or other control characters), else None."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"#!"):
        return "script"
    if b"<svg" in start[:1024]:
        return "svg"
    if start.startswith(_MARKUP_STARTS) or b"<html" in start[:1024]:
        return "html"
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(64 * 1024):
            text = decoder.decode(chunk)
            if any(ch < " " and ch not in _TEXT_CONTROLS for ch in text) or "\x7f" in text:
                return None
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return "text"


def sniff(stream: BinaryIO) -> str:
    """What the bytes are: one of the kinds in ALLOWED's first column, a DANGEROUS key,
    "empty", or "unknown". The stream is left at its start."""
    stream.seek(0)
    head = stream.read(HEAD)
    try:
        if not head:
            return "empty"
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return "ole"
        if head.startswith(b"PK\x03\x04"):
            stream.seek(0)
            return _zip_kind(stream)
        if head.startswith(_EXECUTABLE_MAGIC):
            return "exe"
        guess = filetype.guess(head)
        if guess is not None:
            if guess.extension in ("jpg", "png", "apng", "webp", "mp3"):
                return {"jpg": "jpeg", "apng": "png"}.get(guess.extension, guess.extension)
            if guess.extension in ("m4a", "mp4") and b"M4A" in head[:12]:
                return "m4a"
            if guess.extension in ("exe", "elf", "dex", "wasm"):
                return "exe"
            if guess.extension in _ARCHIVES:
                return "archive"
            if guess.mime.startswith(("image/", "audio/", "video/", "application/", "font/")):
                return "unknown"
        return _text_kind(head, stream) or "unknown"
    finally:
        stream.seek(0)


def check(stream: BinaryIO, name: str, ext: str, field: str) -> str:
    """The Content-Type to store and serve for this file, or a ServiceError at `field` that
    says what is wrong with it."""
    if ext not in ALLOWED:
        reason = DANGEROUS.get(_EXTENSION_FAMILY.get(ext, ""))
        if reason is not None:
            raise ServiceError(_("“%(name)s” was not accepted: %(reason)s", name=name,
                                 reason=reason), field)
        raise ServiceError(_("“%(name)s” is not a kind of file we accept. Accepted: "
                             "%(allowed)s.", name=name, allowed=allowed_list()), field)
    kind = sniff(stream)
    expected, content_type = ALLOWED[ext]
    if kind == expected:
        return content_type
    if kind == "empty":
        raise ServiceError(_("“%(name)s” is empty (0 bytes).", name=name), field)
    if kind in DANGEROUS:
        raise ServiceError(_("“%(name)s” is called .%(ext)s, but it is not: %(reason)s",
                             name=name, ext=ext, reason=DANGEROUS[kind]), field)
    raise ServiceError(_("The content of “%(name)s” does not match its extension .%(ext)s: "
                         "the file is damaged or of another kind. Save it again as .%(ext)s "
                         "and try again.", name=name, ext=ext), field)
