"""Who may erase what: members their own data, per space or the whole account."""
from __future__ import annotations
