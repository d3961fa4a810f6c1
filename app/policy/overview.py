"""Rules for the participation overview."""
from __future__ import annotations
