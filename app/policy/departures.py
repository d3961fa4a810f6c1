"""Rules for joining and leaving an open group: welcome, last meeting, farewell."""
from __future__ import annotations
