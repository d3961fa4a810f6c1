"""Kring configuration: one class per environment; every setting can be overridden by an
environment variable KRING_<NAME> (read in `load_config`)."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("KRING_INSTANCE_PATH", BASE_DIR / "instance"))
SECRET_KEY_FILE = "secret_key"
# Keys written in this source are public: whoever reads it can sign a session cookie.
PUBLIC_KEYS = frozenset({"", "dev-only-not-secret", "test-secret-key"})


class Config:
    # Empty: a random key is made on first start and kept in instance/secret_key (see below).
    SECRET_KEY = ""
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'kring.sqlite3'}"
    # Links in emails are built from this, never from the request's Host header.
    BASE_URL = "http://127.0.0.1:8000"
    MAIL_FROM = "Kring <kring@localhost>"
    SMTP_HOST = "127.0.0.1"
    SMTP_PORT = 25
    SMTP_SECURITY = "none"  # none | starttls | ssl
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    # Where the worker delivers mail: smtp | console (printed, for the demo) | folder
    # (one .eml file per mail in MAIL_FOLDER, by default instance/mail).
    MAIL_BACKEND = "smtp"
    MAIL_FOLDER = ""
    # How long a worker owns one claimed message before another may take it over.
    MAIL_LEASE_SECONDS = 300
    # How new password hashes are made: "argon2id:m=<KiB>,t=<passes>,p=<lanes>" (OWASP's
    # m=19456,t=2,p=1 where left out), or a Werkzeug method ("scrypt:32768:8:1"). Hashes made
    # another way still verify and are replaced at the account's next login.
    PASSWORD_HASH_METHOD = "argon2id:m=19456,t=2,p=1"
    INVITE_DAYS = 14
    RESET_HOURS = 1
    # Failed logins per minute for one account from one client address, and for any account
    # from one address. There is no limit per account alone: it would let anyone lock out the
    # owner of an address they know.
    LOGIN_ATTEMPTS_PER_MINUTE = 5
    LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE = 30
    ALLOW_SQLITE_IN_PRODUCTION = False
    SESSION_COOKIE_SECURE = False
    # Uploads (app/storage/, app/uploads/): where the files live (empty: instance/uploads),
    # the limit per file (one message's files together too), the files per message, the
    # space's quota, and the images' bounds: larger sides are scaled down, more pixels than
    # IMAGE_MAX_PIXELS are refused (a decompression bomb).
    UPLOAD_FOLDER = ""
    # Where stored files live: "local" (UPLOAD_FOLDER) or "s3", an S3-compatible object store
    # (choose an EU region; the bucket private). Empty keys: boto3's own search (environment,
    # instance role). "path" addressing suits MinIO and stores on an IP address. Objects are
    # written with this server-side encryption ("" for none, e.g. a store that refuses it).
    STORAGE_BACKEND = "local"
    S3_ENDPOINT_URL = ""
    S3_BUCKET = ""
    S3_REGION = ""
    S3_ACCESS_KEY_ID = ""
    S3_SECRET_ACCESS_KEY = ""
    S3_ADDRESSING_STYLE = "auto"
    S3_SERVER_SIDE_ENCRYPTION = "AES256"
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    UPLOAD_MAX_FILES = 4
    SPACE_QUOTA_BYTES = 1024 * 1024 * 1024
    IMAGE_MAX_SIDE = 2560
    IMAGE_MAX_PIXELS = 50_000_000
    # How many reverse proxies stand in front of waitress. With 0, the client address is the
    # socket's; behind one proxy set 1, so login throttling sees real clients, not the proxy.
    TRUSTED_PROXIES = 0
    # waitress (wsgi.py). A connection idle for CHANNEL_TIMEOUT seconds is closed; a request
    # body larger than MAX_REQUEST_BODY bytes (0: the upload limit plus 1 MB for the other
    # fields) is refused before it is buffered.
    HOST = "127.0.0.1"
    PORT = 8000
    THREADS = 8
    CONNECTION_LIMIT = 200
    CHANNEL_TIMEOUT = 30
    MAX_REQUEST_BODY = 0
    # Where to get help now (shown to someone worried about a member, and on /hulp): a text
    # file whose first line is the heading and each further line one place to turn to. A
    # file <name>.<language>.txt beside it wins for that language. No file: the built-in
    # Dutch texts (113 Zelfmoordpreventie, huisarts, 112) and their translations.
    CRISIS_HELP_FILE = str(INSTANCE_DIR / "crisis_help.txt")
    # An urgent report nobody picked up goes out again, as a reminder, every this many
    # minutes (0: never).
    CRISIS_REMINDER_MINUTES = 30
    # PeerTube servers whose video links become click-to-play cards (and may be framed, CSP
    # frame-src), comma-separated host names, e.g. "tube.example.nl,video.example.org".
    # YouTube (youtube-nocookie.com) and Vimeo (dnt=1) are always recognised.
    PEERTUBE_HOSTS = ""
    # Intake (app/intake): registrations on a public interest page per client address per
    # hour, how long a confirmation link works, and how many days after the decision the
    # worker round deletes a registration's answers.
    INTAKE_PER_HOUR_PER_ADDRESS = 5
    INTAKE_CONFIRM_HOURS = 48
    INTAKE_ANSWER_DAYS = 90
    # Trust (issue 11). Two-factor login: the name authenticator apps show; whether members
    # may switch it on (leads and operators must). Sensitive changes (email, password, 2FA,
    # export, deletion) ask for the password again when the last proof is older than
    # REAUTH_MINUTES.
    TWO_FACTOR_ISSUER = "Kring"
    REAUTH_MINUTES = 10
    # Sessions: how often a session's "last seen" is written at most (minutes), and how long
    # a link to confirm a new email address works (hours).
    SESSION_TOUCH_MINUTES = 5
    # A session unused for SESSION_IDLE_HOURS, or begun more than SESSION_MAX_DAYS ago, is
    # over: the next request meets the login page (0: no such limit). Short on purpose: a
    # phone lent to someone else should not stay logged in to a group for long.
    SESSION_IDLE_HOURS = 12
    SESSION_MAX_DAYS = 14
    EMAIL_CHANGE_HOURS = 24
    # Exports: how long a ready download link works (hours).
    EXPORT_HOURS = 24
    # Retention: after the last rental day a space is read-only for RENTAL_GRACE_DAYS, then
    # purged; facilitators are warned these many days before the last rental day.
    RENTAL_GRACE_DAYS = 30
    RENTAL_WARNING_DAYS = "30,7"
    # A deleted post keeps its text this many days for review, then the sweep wipes it; sent
    # mail keeps its address and subject this many days; audit events are kept this long
    # (at least 30: the database refuses to delete younger rows).
    DELETED_POST_REVIEW_DAYS = 30
    MAIL_KEEP_DAYS = 30
    AUDIT_RETENTION_DAYS = 365
    # Rate limits (Flask-Limiter): where the counters live. memory:// is per process; with
    # several processes use Redis, e.g. redis://127.0.0.1:6379/0.
    RATELIMIT_STORAGE_URI = "memory://"
    # The rates (Flask-Limiter notation; "10 per minute; 300 per day" means both), per client
    # address, per account, or per logged-in person (app/limits.py). Logins: every attempt per
    # address; wrong passwords per account from all addresses together (high enough that only
    # guessing spread over many addresses reaches it); wrong codes at the login's second step
    # and on the confirmation page per account. Posts, flags, invitations and uploads count
    # what was accepted, per person.
    RATELIMIT_LOGIN_ADDRESS = "30 per minute; 300 per hour"
    RATELIMIT_LOGIN_ACCOUNT = "50 per hour"
    RATELIMIT_LOGIN_CODE = "10 per 5 minutes"
    RATELIMIT_CONFIRM = "10 per 15 minutes"
    RATELIMIT_RESET = "10 per hour"
    RATELIMIT_INVITATIONS = "50 per hour"
    RATELIMIT_POSTS = "10 per minute; 300 per day"
    RATELIMIT_FLAGS = "20 per hour"
    RATELIMIT_UPLOADS = "60 per hour"
    RATELIMIT_INTAKE = "20 per hour"
    # Strict-Transport-Security max-age in production (seconds; 0: no header).
    HSTS_SECONDS = 31536000

    # Framework settings derived from the above (not meant to be overridden one by one).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "kring_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # Rate limits: keys of their own in a shared Redis; when Redis cannot be reached, count in
    # the process's memory meanwhile rather than fail every limited page.
    RATELIMIT_KEY_PREFIX = "kring"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    TESTING = False
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    DATABASE_URL = "sqlite://"
    BASE_URL = "http://kring.test"
    # Cheap hashing keeps the suite fast; production keeps OWASP's argon2id cost.
    PASSWORD_HASH_METHOD = "argon2id:m=8,t=1,p=1"
    # The built-in help texts, whatever the developer's instance/ holds.
    CRISIS_HELP_FILE = ""
    # Tests that move the clock by weeks keep their logged-in browsers; the session limits
    # are switched on by the tests of those limits themselves.
    SESSION_IDLE_HOURS = 0
    SESSION_MAX_DAYS = 0


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
    # A request may carry files up to the upload limit plus 1 MB for the other fields (each
    # file part is held to the limit itself as it arrives: app/uploads/streams.py).
    settings["MAX_CONTENT_LENGTH"] = settings["UPLOAD_MAX_BYTES"] + 1024 * 1024
    if not settings["MAX_REQUEST_BODY"]:
        settings["MAX_REQUEST_BODY"] = settings["MAX_CONTENT_LENGTH"]
    settings["PRODUCTION"] = base is ProductionConfig
    # A cookie sent only over https gets the __Host- prefix: the browser then refuses it from
    # http, from a subdomain or with another path (ASVS 5.0 3.3.1, 3.3.3).
    if settings["SESSION_COOKIE_SECURE"] and not settings["SESSION_COOKIE_NAME"].startswith("__"):
        settings["SESSION_COOKIE_NAME"] = "__Host-" + settings["SESSION_COOKIE_NAME"]
    if int(settings["AUDIT_RETENTION_DAYS"]) < 30:
        # The database refuses to delete younger audit events (app/audit/models.py).
        raise RuntimeError("KRING_AUDIT_RETENTION_DAYS must be at least 30.")
    if not settings["SECRET_KEY"] and not settings["PRODUCTION"]:
        settings["SECRET_KEY"] = instance_secret_key(INSTANCE_DIR)
    return settings


def instance_secret_key(instance_dir: Path) -> str:
    """The key in `instance_dir`/secret_key, made (random, mode 0600) on the first start, so
    sessions survive a restart and no two installations share a key."""
    path = Path(instance_dir) / SECRET_KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if key:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name and linked into place, so two processes starting at
    # once both end up with the one key that won, never with a half-written file.
    temporary = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink()
    return path.read_text(encoding="ascii").strip()


def is_public_key(key: str) -> bool:
    return key in PUBLIC_KEYS


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
