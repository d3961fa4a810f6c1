"""Uploads: files attached to posts and library items, stored through app/storage/."""
from __future__ import annotations

from flask import Flask
from PIL import Image


def init_uploads(app: Flask) -> None:
    from app.uploads.labels import file_kind, file_size
    from app.uploads.service import megabytes, upload_url
    from app.uploads.sniff import allowed_list
    from app.cli import kring_cli
    from app.uploads.streams import UploadRequest
    from app.uploads.sweep import sweep_command
    from app.uploads.views import bp

    app.request_class = UploadRequest
    # Pillow's own guard against decompression bombs follows ours (app/uploads/images.py
    # refuses any image over it before decoding).
    Image.MAX_IMAGE_PIXELS = app.config["IMAGE_MAX_PIXELS"]
    app.register_blueprint(bp)
    if "sweep-uploads" not in kring_cli.commands:
        kring_cli.add_command(sweep_command)
    app.jinja_env.globals.update(
        upload_url=upload_url,
        file_kind=file_kind,
        file_size=file_size,
        upload_limits=lambda: {
            "file_mb": megabytes(app.config["UPLOAD_MAX_BYTES"]),
            "files": app.config["UPLOAD_MAX_FILES"],
            "allowed": allowed_list(),
        },
    )
