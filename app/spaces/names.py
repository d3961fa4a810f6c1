"""The comparison key of a display name: names that look alike (case, spacing, accents,
look-alike letters from other scripts, 0/o, 1/l/I, rn/m) get the same key, so the database
can refuse a second "Marieke" in one group (memberships.name_key, unique while active)."""
from __future__ import annotations

import functools
import hashlib
import unicodedata

NAME_KEY_MAX = 255

# Folds the Unicode table leaves apart but a reader cannot tell apart in many fonts: after
# case folding, i/l/1/I/| are one letter here (I and 1 already map to l in the table).
_EXTRA = {"i": "l", "ĸ": "k"}


@functools.cache
def _confusables() -> dict[str, str]:
    """Character → the look-alike it stands for, from the Unicode confusables table (UTS #39)
    as shipped by confusable-homoglyphs. A prototype lists all its look-alikes; a look-alike
    lists only its prototype. Pairs that list only each other map both to one of the two."""
    from confusable_homoglyphs.confusables import confusables_data

    def clean(value: str) -> str:
        return value.replace("\u200e", "")

    table: dict[str, str] = {}
    for char, entries in confusables_data.items():
        char = clean(char)
        if len(char) != 1 or len(entries) != 1:
            continue
        target = clean(entries[0]["c"])
        back = confusables_data.get(entries[0]["c"], [])
        if len(back) == 1 and clean(back[0]["c"]) == char:
            target = min(char, target)
        if target != char:
            table[char] = target
    return table


def _map(text: str) -> str:
    table = _confusables()
    return "".join(table.get(char, char) for char in text)


def name_key(name: str) -> str:
    """The key under which `name` must be unique among a group's active members."""
    text = unicodedata.normalize("NFKC", name)
    # Accents off: decompose, drop the combining marks (ë → e).
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    # Look-alikes are case-specific (Cyrillic "М" → "M", capital "I" → "l"), so map before
    # and after case folding.
    text = _map(_map(text).casefold())
    key = "".join(_EXTRA.get(c, c) for c in text if c.isalnum())
    if not key:  # a name of only signs or emoji: compare it without spaces and case
        key = "".join(unicodedata.normalize("NFKC", name).casefold().split())
    if len(key) > NAME_KEY_MAX:
        key = "#" + hashlib.sha256(key.encode()).hexdigest()
    return key
