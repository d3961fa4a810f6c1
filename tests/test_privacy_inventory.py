"""docs/privacy-inventory.md names every table and column the models have (personal data or
not), with why, how long, export and erasure: a model that gains a table or column not listed
there fails here until someone describes it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.extensions import db

DOC = Path(__file__).resolve().parent.parent / "docs" / "privacy-inventory.md"
FIELDS = ("Why", "Kept", "Export", "Erasure")


def parse(text: str) -> dict[str, dict]:
    """{table: {"Personal": [...], "Other": [...], "Why": "...", ...}} from the document."""
    tables: dict[str, dict] = {}
    current = None
    for line in text.splitlines():
        heading = re.fullmatch(r"### `(\w+)`\s*", line)
        if heading:
            assert heading.group(1) not in tables, f"{heading.group(1)} is listed twice"
            current = tables[heading.group(1)] = {}
            continue
        item = re.fullmatch(r"- (Personal|Other|Why|Kept|Export|Erasure): (.*)", line)
        if item and current is not None:
            key, value = item.groups()
            current[key] = (re.findall(r"`(\w+)`", value) if key in ("Personal", "Other")
                            else value.strip())
    return tables


@pytest.fixture(scope="module")
def inventory():
    return parse(DOC.read_text("utf-8"))


def _model_tables(app):
    with app.app_context():
        return {t.name: [c.name for c in t.columns] for t in db.metadata.sorted_tables}


def test_every_table_of_the_models_is_in_the_inventory(sqlite_app, inventory):
    tables = _model_tables(sqlite_app)
    assert sorted(set(tables) - set(inventory)) == []
    assert sorted(set(inventory) - set(tables)) == [], "listed but not a table any more"


def test_every_column_is_listed_once_as_personal_or_other(sqlite_app, inventory):
    problems = []
    for table, columns in _model_tables(sqlite_app).items():
        entry = inventory.get(table, {})
        listed = entry.get("Personal", []) + entry.get("Other", [])
        missing = [c for c in columns if c not in listed]
        unknown = [c for c in listed if c not in columns]
        twice = sorted({c for c in listed if listed.count(c) > 1})
        if missing or unknown or twice:
            problems.append(f"{table}: not listed {missing}, not a column {unknown}, "
                            f"listed twice {twice}")
    assert problems == []


def test_every_table_says_why_how_long_export_and_erasure(inventory):
    for table, entry in inventory.items():
        for field in FIELDS:
            assert entry.get(field), f"{table}: no '- {field}:' line"


def test_the_check_notices_a_column_that_is_not_listed():
    text = "### `things`\n- Personal: `name`\n- Other: `id`\n"
    assert parse(text) == {"things": {"Personal": ["name"], "Other": ["id"]}}
    assert "email" not in parse(text)["things"]["Personal"] + parse(text)["things"]["Other"]
