"""Passwords: which new ones are accepted (length and the common-password list, no composition
rules) and how they are stored (argon2id; older Werkzeug scrypt hashes verified and upgraded)."""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from app.errors import ServiceError

PASSWORD_MIN = 10
PASSWORD_MAX = 200
COMMON_LIST = Path(__file__).with_name("common_passwords.txt")
# Stripped from the end before the list lookup: "welkom2024!" is "welkom" with the suffix
# every cracking tool tries first, so it is as guessable as the word itself.
SUFFIX = string.digits + string.punctuation + " "
# Words that make a password easy to guess here whatever the lists say (ASVS 6.2.11).
CONTEXT_WORDS = frozenset({"kring", "kringkring", "welkomkring", "groepsruimte"})
ARGON2 = "argon2id"
# OWASP's password storage cheat sheet (2025): argon2id, 19 MiB, 2 iterations, 1 lane.
OWASP_ARGON2 = {"m": 19456, "t": 2, "p": 1}


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased; read once per process."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def is_common(password: str, *, email: str | None = None) -> bool:
    """True for a listed password, a listed one with digits or punctuation added at the end,
    or one made of this site's name or the account's own address."""
    lowered = password.strip().lower()
    stem = lowered.rstrip(SUFFIX)
    listed = common_passwords()
    context = set(CONTEXT_WORDS)
    if email:
        email = email.strip().lower()
        context.update({email, email.partition("@")[0]})
    return any(word and (word in listed or word in context) for word in {lowered, stem})


def check_new_password(password: str, field: str = "password", *, email: str | None = None) -> None:
    """Raise ServiceError (at `field`) unless `password` may be chosen. No rules about digits
    or capitals: they make passwords harder to remember, not harder to guess (NIST 800-63B)."""
    if len(password) < PASSWORD_MIN:
        raise ServiceError(_("Choose a password of at least %(n)d characters.", n=PASSWORD_MIN), field)
    if len(password) > PASSWORD_MAX:
        raise ServiceError(_("A password can be at most %(n)d characters.", n=PASSWORD_MAX), field)
    if is_common(password, email=email):
        raise ServiceError(_("This password is one of the most used passwords, so it is easy to "
                             "guess. Choose another one, for example a short sentence."), field)


# --- storage ----------------------------------------------------------------------------------

def argon2_parameters(method: str) -> dict[str, int] | None:
    """The parameters of an "argon2id" or "argon2id:m=19456,t=2,p=1" setting (OWASP's where
    left out), or None for a Werkzeug method such as "scrypt" or "scrypt:32768:8:1"."""
    name, _sep, spec = method.partition(":")
    if name != ARGON2:
        return None
    params = dict(OWASP_ARGON2)
    for part in filter(None, spec.split(",")):
        key, _eq, value = part.partition("=")
        if key.strip() not in params or not value.strip().isdigit():
            raise ValueError(f"PASSWORD_HASH_METHOD: cannot read {part!r} (use m=,t=,p=)")
        params[key.strip()] = int(value)
    return params


@lru_cache(maxsize=8)
def _hasher(m: int, t: int, p: int) -> PasswordHasher:
    return PasswordHasher(time_cost=t, memory_cost=m, parallelism=p, type=Type.ID)


def _configured() -> tuple[str, PasswordHasher | None]:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    params = argon2_parameters(method)
    return method, (_hasher(params["m"], params["t"], params["p"]) if params else None)


def hash_password(password: str) -> str:
    method, hasher = _configured()
    if hasher is not None:
        return hasher.hash(password)
    return generate_password_hash(password, method=method)


def verify_password(stored: str, password: str) -> bool:
    """Whether `password` matches `stored`, an argon2 hash or an older Werkzeug one."""
    if stored.startswith("$argon2"):
        try:
            return _hasher(1, 1, 1).verify(stored, password)  # the hash carries its parameters
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored, password)
    except (ValueError, TypeError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when `stored` was made with another method or other parameters than configured
    now: the next successful login stores a fresh hash."""
    method, hasher = _configured()
    if hasher is not None:
        if not stored.startswith("$argon2id$"):
            return True
        try:
            return hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True
    # A Werkzeug hash names its method and parameters before the first "$".
    return stored.partition("$")[0] != dummy_hash().partition("$")[0]


_DUMMY_HASH: dict[str, str] = {}


def dummy_hash() -> str:
    """A real hash made with today's setting, to verify against when the email is unknown, so
    both paths cost the same."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = hash_password("not-a-password")
    return _DUMMY_HASH[method]
