"""Every CSV export's one writer: cells a spreadsheet would run as a formula are defused with
a leading apostrophe (OWASP "CSV injection"), whatever part of Kring writes the file."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# A spreadsheet reads a cell starting with one of these as a formula; leading spaces do not
# stop some of them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.lstrip(" ")[:1] in FORMULA_START and text.lstrip(" ") != "":
        return "'" + text
    return text


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The whole file as text: the header, then every row, each cell through safe_cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
