"""Rules for the facilitators' private notes per member."""
from __future__ import annotations
