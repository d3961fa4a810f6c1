"""Absolute links for email, built from KRING_BASE_URL and never from the request's Host."""
from __future__ import annotations

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("kring.invalid", url_scheme="https")
    path = adapter.build(endpoint, values, force_external=False)
    return current_app.config["BASE_URL"].rstrip("/") + path
