"""Refusals and error pages: the exceptions services raise (ServiceError, NotFound, Forbidden),
`require`, and the one page every error is shown on."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from app.database import write_refused
from app.extensions import db


class ServiceError(Exception):
    """A use case refused for a reason the user can act on; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(Exception):
    """The object does not exist or the actor may not know that it exists (→ 404)."""


class Forbidden(Exception):
    """The actor can see the object but may not do this (→ 403)."""


def require(allowed: bool) -> None:
    """First line of every write service: the policy's answer, or Forbidden."""
    if not allowed:
        raise Forbidden()


ERROR_TEXT = {
    400: (_l("Something went wrong with this request"), _l("Go back, reload the page and try again.")),
    403: (_l("No access"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    410: (_l("Link no longer valid"), _l("This link has expired or was already used.")),
    413: (_l("File too large"), _l("The upload is larger than the limit.")),
    429: (_l("Too many attempts"), _l("Wait a minute and try again.")),
    503: (_l("Nothing could be saved right now"), _l("The server cannot store anything at the moment. Try again later.")),
    500: (_l("Something went wrong on our side"), _l("Try again in a moment. If you were writing something, go back: your text is usually still in the form.")),
}


def error_page(code: int, detail: str | None = None):
    title, text_ = ERROR_TEXT.get(code, ERROR_TEXT[500])
    return render_template("errors/error.html", code=code, title=title,
                           detail=detail or text_), code


# Fields whose text a person typed, with the label the 503 page gives them; any other field
# with a longer text is shown too. Passwords, tokens and codes never are.
TEXT_FIELDS = {
    "title": _l("Title"), "body": _l("Message"), "display_name": _l("Name"),
    "name": _l("Name"), "description": _l("Description"), "email": _l("Email address"),
}
SECRET_FIELDS = ("csrf_token", "password", "token", "code")


@dataclass
class UnsavedField:
    name: str
    value: str
    label: str | None  # None: sent along again, hidden; else shown to edit under this label


def unsaved_fields() -> list[UnsavedField]:
    """What this POST carried, to send again from the 503 page, so a refused write loses
    nothing: typed texts shown in editable boxes, the other fields (choices, ticks) hidden.
    Passwords, tokens and codes are left out (the page gets a fresh CSRF token)."""
    fields = []
    for name, value in request.form.items(multi=True):
        if any(secret in name for secret in SECRET_FIELDS):
            continue
        key = name.rsplit("-", 1)[-1]  # a prefixed form's field: "first-email"
        label = None
        if value.strip():
            if key in TEXT_FIELDS:
                label = str(TEXT_FIELDS[key])
            elif len(value) > 40 or "\n" in value:
                label = str(_l("Your text"))
        fields.append(UnsavedField(name, value, label))
    return fields


def write_refused_page():
    """503: the database refused to write (disk full, read-only). Nothing was half-written
    (the use case's transaction rolled back); the person gets the form back, to try again."""
    fields = unsaved_fields() if request.method == "POST" else []
    action = request.script_root + request.full_path.rstrip("?")
    try:
        return render_template("errors/unsaved.html", fields=fields, action=action), 503
    except Exception:  # a database that cannot even be read: a plain answer, never a crash
        db.session.rollback()
        return _plain_refusal(), 503, {"Content-Type": "text/plain; charset=utf-8"}


def _plain_refusal() -> str:
    """The 503 in plain text, translated; when even the language cannot be looked up (it may
    come from the account in the database), in Dutch, the house language."""
    text = _l("The database is unavailable. Nothing was saved.")
    try:
        return str(text)
    except Exception:
        db.session.rollback()
        with force_locale("nl"):
            return str(text)


def configure_errors(app: Flask) -> None:
    """Every refusal and crash ends on the error page, never on a bare server response."""

    @app.errorhandler(NotFound)
    def _not_found(_exc):
        return error_page(404)

    @app.errorhandler(Forbidden)
    def _forbidden(exc):
        # A refusal may say why in words the user can act on (e.g. "your own message").
        return error_page(403, str(exc.args[0]) if exc.args else None)

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return error_page(400, str(_l("The form had expired or was sent twice. Your text is "
                                      "not lost: go back, reload the page and send it again.")))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code == 413:
            from app.uploads.service import megabytes

            return error_page(413, str(_l(
                "The upload is larger than the limit: a file can be at most %(file)s MB, and "
                "everything sent at once at most %(total)s MB. Go back and choose a smaller "
                "file; your text is usually still in the form.",
                file=megabytes(app.config["UPLOAD_MAX_BYTES"]),
                total=megabytes(app.config["MAX_CONTENT_LENGTH"]))))
        if exc.code in ERROR_TEXT:
            return error_page(exc.code)
        return exc

    @app.errorhandler(DBAPIError)
    def _database(exc: DBAPIError):
        db.session.rollback()
        if not write_refused(exc):
            return _crash(exc)
        app.logger.warning("write refused by the database (%s %s): %s", request.method,
                           request.path, exc.orig)
        return write_refused_page()

    @app.errorhandler(Exception)
    def _crash(exc: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return error_page(500)
