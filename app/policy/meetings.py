"""Rules for meetings: who sees them, plans them, cancels for a meeting and records attendance."""
from __future__ import annotations
