"""Images are re-encoded with Pillow before they are stored: orientation applied, EXIF (with
GPS), comments and other metadata gone, the pixel size bounded; images with too many pixels
(decompression bombs) are refused before they are decoded."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.errors import ServiceError

_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


@dataclass
class Reencoded:
    data: io.BytesIO
    width: int
    height: int


def _refuse_bomb(name: str, field: str, size=None) -> ServiceError:
    if size:
        return ServiceError(_("“%(name)s” has too many pixels (%(w)d × %(h)d). Make the image "
                              "smaller and try again.", name=name, w=size[0], h=size[1]), field)
    return ServiceError(_("“%(name)s” has too many pixels. Make the image smaller and try "
                          "again.", name=name), field)


def reencode(stream: BinaryIO, kind: str, name: str, field: str, *, max_side: int,
             max_pixels: int) -> Reencoded:
    """A clean copy of the image in its own format (`kind`: jpeg, png or webp), at most
    `max_side` pixels wide and high; a ServiceError for a bomb or a damaged image."""
    stream.seek(0)
    try:
        with Image.open(stream, formats=[_FORMAT[kind]]) as original:
            width, height = original.size
            if width * height > max_pixels:
                raise _refuse_bomb(name, field, original.size)
            if kind == "jpeg":
                # Let the JPEG decoder scale down while decoding: far less memory for a
                # large photo that is made smaller anyway.
                original.draft("RGB", (max_side, max_side))
            original.load()
            image = ImageOps.exif_transpose(original)
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            return Reencoded(_save(image, kind), image.width, image.height)
    except Image.DecompressionBombError:
        raise _refuse_bomb(name, field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ServiceError(_("“%(name)s” could not be read as an image: it is damaged or not "
                             "a real image of this kind.", name=name), field) from None


def _save(image: Image.Image, kind: str) -> io.BytesIO:
    """Only the pixels go out (and the colour profile, which says nothing about anyone):
    no exif, no comments, no text chunks, no XMP."""
    out = io.BytesIO()
    extra = {}
    if image.info.get("icc_profile"):
        extra["icc_profile"] = image.info["icc_profile"]
    if kind == "jpeg":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, **extra)
    elif kind == "png":
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            image = image.convert("RGBA")
        if "transparency" in image.info:
            extra["transparency"] = image.info["transparency"]
        image.save(out, "PNG", **extra)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=85, **extra)
    out.seek(0)
    return out
