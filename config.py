"""Kring configuration: one class per environment; every setting can be overridden by an
environment variable KRING_<NAME> (read in `load_config`)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("KRING_INSTANCE_PATH", BASE_DIR / "instance"))


class Config:
    SECRET_KEY = "dev-only-not-secret"
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'kring.sqlite3'}"
    # Links in emails are built from this, never from the request's Host header.
    BASE_URL = "http://127.0.0.1:8000"
    MAIL_FROM = "Kring <kring@localhost>"
    SMTP_HOST = "127.0.0.1"
    SMTP_PORT = 25
    SMTP_SECURITY = "none"  # none | starttls | ssl
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    # Werkzeug hash spec; scrypt is Werkzeug's default and memory-hard.
    PASSWORD_HASH_METHOD = "scrypt"
    INVITE_DAYS = 14
    RESET_HOURS = 1
    LOGIN_ATTEMPTS_PER_MINUTE = 5
    ALLOW_SQLITE_IN_PRODUCTION = False
    SESSION_COOKIE_SECURE = False
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    # How many reverse proxies stand in front of waitress. With 0, the client address is the
    # socket's; behind one proxy set 1, so login throttling sees real clients, not the proxy.
    TRUSTED_PROXIES = 0

    # Framework settings derived from the above (not meant to be overridden one by one).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "kring_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    TESTING = False
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    DATABASE_URL = "sqlite://"
    BASE_URL = "http://kring.test"
    # Cheap hashing keeps the suite fast; production keeps Werkzeug's default scrypt cost.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"


class ProductionConfig(Config):
    SECRET_KEY = ""
    SESSION_COOKIE_SECURE = True


CONFIGS = {"default": Config, "test": TestConfig, "production": ProductionConfig}
_BOOLS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}


def load_config(name: str | None = None, **overrides) -> dict:
    """The settings for `name` (default: KRING_ENV or "default"), then KRING_* variables, then
    explicit overrides. Types follow the class attribute's type."""
    base = CONFIGS[name or os.environ.get("KRING_ENV", "default")]
    settings = {key: getattr(base, key) for key in dir(base) if key.isupper()}
    for key, default in list(settings.items()):
        raw = os.environ.get(f"KRING_{key}")
        if raw is None:
            continue
        if isinstance(default, bool):
            settings[key] = _BOOLS.get(raw.strip().lower(), False)
        elif isinstance(default, int):
            settings[key] = int(raw)
        elif isinstance(default, timedelta):
            settings[key] = timedelta(seconds=int(raw))
        else:
            settings[key] = raw
    settings.update(overrides)
    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    settings["MAX_CONTENT_LENGTH"] = settings["UPLOAD_MAX_BYTES"]
    settings["PRODUCTION"] = base is ProductionConfig
    return settings


def check_production(settings: dict) -> None:
    """Production refuses to start with a placeholder secret or, unless told so, SQLite."""
    if not settings["PRODUCTION"]:
        return
    if len(settings["SECRET_KEY"]) < 32:
        raise RuntimeError("KRING_SECRET_KEY must be set to a random value of 32+ characters.")
    if settings["DATABASE_URL"].startswith("sqlite") and not settings["ALLOW_SQLITE_IN_PRODUCTION"]:
        raise RuntimeError(
            "Production runs on PostgreSQL; set KRING_ALLOW_SQLITE_IN_PRODUCTION=1 to use SQLite."
        )
