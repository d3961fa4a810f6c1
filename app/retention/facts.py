"""The numbers /privacy states, read from the settings and the sweeps' own constants, so the
page cannot promise a period the worker does not keep."""
from __future__ import annotations

from urllib.parse import urlsplit

from app.retention import sweeps
from app.retention.common import warning_days


def retention_facts(config) -> dict:
    return {
        "host": urlsplit(config["BASE_URL"]).hostname or "",
        # With uploads on an object store, the page names that store: "everything on this
        # server" would no longer be true.
        "file_store": _object_store(config),
        "grace_days": int(config["RENTAL_GRACE_DAYS"]),
        "warning_days": warning_days(config["RENTAL_WARNING_DAYS"]),
        "review_days": int(config["DELETED_POST_REVIEW_DAYS"]),
        "mail_days": int(config["MAIL_KEEP_DAYS"]),
        "audit_days": int(config["AUDIT_RETENTION_DAYS"]),
        "intake_answer_days": int(config["INTAKE_ANSWER_DAYS"]),
        "intake_confirm_hours": int(config["INTAKE_CONFIRM_HOURS"]),
        "export_hours": int(config["EXPORT_HOURS"]),
        "reset_hours": int(config["RESET_HOURS"]),
        "invite_days": int(config["INVITE_DAYS"]),
        "email_change_hours": int(config["EMAIL_CHANGE_HOURS"]),
        "session_days": sweeps.SESSION_KEEP_DAYS,
        "failure_hours": sweeps.LOGIN_FAILURE_HOURS,
        "session_hours": int(config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 3600),
    }


def _object_store(config) -> dict | None:
    if config.get("STORAGE_BACKEND", "local") != "s3":
        return None
    endpoint = urlsplit(config.get("S3_ENDPOINT_URL") or "").hostname
    return {"host": endpoint or "Amazon S3", "region": config.get("S3_REGION") or ""}
