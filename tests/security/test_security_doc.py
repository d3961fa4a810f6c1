"""docs/security.md names the tests that show each ASVS requirement: every one it names must
exist, so a renamed or removed test cannot leave the document pointing at nothing."""
from __future__ import annotations

import ast
import re

from config import BASE_DIR

DOC = BASE_DIR / "docs" / "security.md"
REFERENCE = re.compile(r"(tests/[\w/]+\.py)(?:::(\w+))?")


def referenced() -> set[tuple[str, str | None]]:
    return set(REFERENCE.findall(DOC.read_text(encoding="utf-8")))


def test_the_security_document_names_tests():
    assert len({name for _file, name in referenced() if name}) > 80


def test_every_test_the_security_document_names_exists():
    missing = []
    functions: dict[str, set[str]] = {}
    for path, name in sorted(referenced(), key=lambda ref: (ref[0], ref[1] or "")):
        file = BASE_DIR / path
        if not file.exists():
            missing.append(path)
            continue
        if not name:
            continue
        if path not in functions:
            tree = ast.parse(file.read_text(encoding="utf-8"))
            functions[path] = {node.name for node in ast.walk(tree)
                               if isinstance(node, ast.FunctionDef)}
        if name not in functions[path]:
            missing.append(f"{path}::{name}")
    assert missing == []
