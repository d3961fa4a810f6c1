"""Rules around a space's rental end, grace period and purge."""
from __future__ import annotations
