"""Rules for evaluation questionnaires and their answers."""
from __future__ import annotations
