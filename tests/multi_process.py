"""Kring as production runs it on several machines, for the tests that need it whole: real
server processes (`python wsgi.py`, waitress on 127.0.0.1) sharing one PostgreSQL database,
one Redis and one S3-compatible bucket, each process with an instance folder of its own."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.pg import free_port

ROOT = Path(__file__).resolve().parent.parent
SHARED_SECRET = "s" * 64  # every process of one installation signs with the same key


class KringProcess:
    def __init__(self, name: str, folder: Path, settings: dict):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        instance = folder / name
        instance.mkdir(parents=True)
        env = {key: value for key, value in os.environ.items() if not key.startswith("KRING_")}
        env.update({"KRING_ENV": "default", "KRING_INSTANCE_PATH": str(instance),
                    "KRING_HOST": "127.0.0.1", "KRING_PORT": str(self.port),
                    "KRING_SECRET_KEY": SHARED_SECRET, "KRING_THREADS": "4",
                    "PYTHONUNBUFFERED": "1"})
        env.update({key: str(value) for key, value in settings.items()})
        self.log = (folder / f"{name}.log").open("w")
        self.process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Kring did not start on {self.base}: see {self.log.name}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def form_token(http, url: str) -> str:
    """The CSRF token of the form on `url` (a requests session keeps the cookies)."""
    page = http.get(url)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    assert match, f"no form on {url} ({page.status_code})"
    return match.group(1)


def log_in(http, base: str, email: str, password: str):
    token = form_token(http, f"{base}/login")
    return http.post(f"{base}/login", data={"csrf_token": token, "email": email,
                                            "password": password}, allow_redirects=False)
