"""The README a newcomer reads first: the two commands, how to reset the demo, where demo
mail goes, and nothing that points outside the repository."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
# Example addresses in configuration samples are allowed; real outside hosts are not.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "example.org")


def test_readme_shows_the_two_commands_and_how_to_reset_the_demo():
    assert "make run" in README
    assert "make test" in README
    assert "seed-demo --reset" in " ".join(README.split())


def test_readme_says_demo_mail_goes_to_the_console_and_nowhere_else():
    paragraph = next(p for p in README.split("\n\n") if p.startswith("Demo mail:"))
    assert "KRING_MAIL_BACKEND=console" in paragraph
    assert "make run" in paragraph
    # One story: the demo's mail is not said to go to an SMTP server or wait in the outbox.
    assert "127.0.0.1:25" not in README
    assert "stays\nin the outbox" not in README and "stays in the outbox" not in README


def test_readme_links_to_no_other_host():
    for url in re.findall(r"https?://[^\s)`'\"<>|]+", README):
        host = urlsplit(url).hostname or ""
        assert any(host == local or host.endswith("." + local) for local in LOCAL_HOSTS), url


def test_readme_points_to_no_path_outside_the_repository():
    assert "../" not in README
    for target in re.findall(r"\]\(([^)#\s]+)", README):
        if "://" not in target:
            assert (ROOT / target).resolve().is_relative_to(ROOT), target
            assert (ROOT / target).exists(), target
