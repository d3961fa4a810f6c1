"""ASVS 5.0 V11 (cryptography) and V7 (sessions): secrets are compared in constant time and
looked up by hash. A source walk of app/ finds every `==` / `!=` on a value named like a
secret; the only ones allowed are database lookups of a stored hash by the hash of what the
visitor sent (the raw token never meets the stored value), each listed below with its reason.
The libraries doing the remaining comparisons (password hashes, signed links, TOTP) are
checked to use hmac.compare_digest."""
from __future__ import annotations

import ast
import inspect
import re

from app.extensions import db
from config import BASE_DIR

SECRET_NAME = re.compile(
    r"^(raw|raw_token|token|secret|password|passwd|code|otp|signature|mac|digest|public_key)$"
    r"|_(token|secret|password|hash|digest|signature)$", re.I)

# (file, source of the comparison): why it is not a timing leak.
ALLOWED = {
    # Public interest page: the key is in a link meant to be shared on flyers; it makes the
    # address unguessable but guards nothing a visitor could not see anyway.
    ("app/intake/queries.py", "IntakePage.public_key == key"),
    # The upgrade of a password's hash at login: a conditional UPDATE so that a password
    # changed meanwhile is not overwritten. `old` is the stored hash the server read a moment
    # ago, never anything the visitor sent.
    ("app/accounts/service.py", "User.password_hash == old"),
    # The session lookup of every request, built once per process (issue 12): the same
    # lookup of the stored hash as above, with load_session binding hash_token(key) to it.
    ("app/accounts/sessions.py", 'UserSession.key_hash == bindparam("key_hash")'),
}


def _terminal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_hash_lookup(left: ast.AST, right: ast.AST) -> bool:
    """`Model.something_hash == hash_token(raw)`: a SQL lookup of the stored hash."""
    return (isinstance(left, ast.Attribute) and isinstance(left.value, ast.Name)
            and left.value.id[:1].isupper() and left.attr.endswith("_hash")
            and isinstance(right, ast.Call) and _terminal(right.func) == "hash_token")


def secret_comparisons() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((BASE_DIR / "app").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(BASE_DIR))
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:]):
                if not isinstance(op, (ast.Eq, ast.NotEq)):
                    continue
                if isinstance(left, ast.Constant) or isinstance(right, ast.Constant):
                    continue  # against a literal (None, "", a number): nothing to time
                names = {_terminal(left), _terminal(right)} - {None}
                if not any(SECRET_NAME.search(name) for name in names):
                    continue
                if _is_hash_lookup(left, right) or _is_hash_lookup(right, left):
                    continue
                text = ast.get_source_segment(source, node)
                if (relative, text) not in ALLOWED:
                    found.append((relative, node.lineno, text))
    return found


def test_no_secret_is_compared_with_equals_in_the_application_code():
    assert secret_comparisons() == []


def test_the_source_walk_recognises_a_plain_comparison_of_secrets(tmp_path, monkeypatch):
    """The walk itself: `token == stored` is caught, a hash lookup is not."""
    import tests.security.test_secret_comparisons as walk

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "bad.py").write_text(
        "def check(token, stored):\n    return token == stored.token_hash\n"
        "def find(raw):\n    return Model.token_hash == hash_token(raw)\n")
    monkeypatch.setattr(walk, "BASE_DIR", tmp_path)
    assert [(f, line) for f, line, _ in walk.secret_comparisons()] == [("app/bad.py", 2)]


def test_the_totp_check_compares_codes_with_compare_digest():
    from app.accounts import twofactor

    source = inspect.getsource(twofactor)
    assert "hmac.compare_digest(" in source
    assert not re.search(r"\bcode\s*==|==\s*code\b", source)


def test_password_hashes_and_signed_links_are_checked_in_constant_time():
    """Passwords: Werkzeug's check_password_hash (compare_digest) or argon2-cffi's verify
    (libargon2's own constant-time check); unsubscribe links: itsdangerous (compare_digest)."""
    import argon2
    import itsdangerous.signer
    import werkzeug.security

    assert "compare_digest" in inspect.getsource(werkzeug.security.check_password_hash)
    assert "verify_secret(" in inspect.getsource(argon2.PasswordHasher.verify)
    assert "compare_digest" in inspect.getsource(itsdangerous.signer.SigningAlgorithm.verify_signature)
    accounts = "".join(path.read_text(encoding="utf-8")
                       for path in (BASE_DIR / "app" / "accounts").glob("*.py"))
    assert "check_password_hash(" in accounts or "PasswordHasher(" in accounts


def test_every_token_is_stored_only_as_a_hash(app):
    """No column keeps a raw token or code; the second factor's secret (needed in clear to
    compute codes) is sealed with Fernet (app/accounts/twofactor.py)."""
    stored_raw = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            name = column.name
            if re.search(r"token|code|secret|password", name) and not name.endswith("_hash"):
                stored_raw.append(f"{table.name}.{name}")
    assert stored_raw == ["two_factor.secret"]


def test_the_second_factor_secret_is_sealed_in_the_database(app):
    from app.accounts import twofactor

    with app.app_context():
        secret = twofactor.new_secret()
        sealed = twofactor.seal(secret)
        assert secret not in sealed
        assert twofactor.unseal(sealed) == secret


def test_a_reset_token_is_found_by_its_hash_and_a_near_miss_is_not(app, client, world):
    """Lookup by sha256: a token one character off finds nothing (410), not a prefix match."""
    from app.accounts import service as accounts
    from tests.mail import rendered_mail

    person = world.user()
    with app.app_context():
        accounts.request_password_reset(email=person.email, client_ip="192.0.2.1")
    raw = re.search(r"/password/reset/(\S+)", rendered_mail(app)[0].body_text).group(1)
    assert client.get(f"/password/reset/{raw}").status_code == 200
    near = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert client.get(f"/password/reset/{near}").status_code == 410
    assert client.get(f"/password/reset/{raw[:-1]}").status_code == 410
    assert client.get(f"/password/reset/{raw.upper()}").status_code in (200, 410)
