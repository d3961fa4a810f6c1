"""The one door to the audit trail: `record(...)` adds an event to the current transaction,
so it commits or rolls back with the change it describes."""
from __future__ import annotations

import ipaddress

from flask import has_request_context, request

from app.audit.events import EVENTS
from app.audit.models import AuditEvent
from app.database import utcnow
from app.extensions import db


def truncated_address(address: str | None) -> str:
    """Where a request came from, never more precisely than a network: IPv4 to /24, IPv6 to
    /48 ("192.0.2.0/24"). Enough for a security officer to tell places apart."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def request_origin() -> str:
    """The truncated client address of the request being served ("" for the CLI and the
    worker). Read here, not passed through every service: the origin is plumbing, like the
    logger, and no decision depends on it."""
    if not has_request_context():
        return ""
    return truncated_address(request.remote_addr)


def record(event: str, *, actor_id: int | None = None, subject_id: int | None = None,
           space_id: int | None = None, detail: str = "") -> AuditEvent:
    """Add one event to the session (the caller's transaction commits it)."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    entry = AuditEvent(event=event, at=utcnow(), actor_user_id=actor_id,
                       subject_user_id=subject_id, space_id=space_id,
                       ip_prefix=request_origin(), detail=detail[:200])
    db.session.add(entry)
    return entry
