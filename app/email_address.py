"""Is this a usable email address? One answer for forms, invitations and the mailer."""
from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import Address


def is_valid_email(address: str) -> bool:
    if not address or len(address) > 254 or any(ch.isspace() for ch in address):
        return False
    try:
        parsed = Address(addr_spec=address)
    except (HeaderParseError, ValueError, IndexError, TypeError):
        return False
    return bool(parsed.username) and "." in parsed.domain.strip(".") and ".." not in parsed.domain
