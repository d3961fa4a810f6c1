"""Who must use two-factor login: operators and the leads and moderators of a space."""
from __future__ import annotations
