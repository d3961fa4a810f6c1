"""Rules for the interest page, registrations and the waiting list."""
from __future__ import annotations
