"""Rules for the facilitators' line: a private conversation between a member and the group's leads."""
from __future__ import annotations
