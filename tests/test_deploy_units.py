"""The systemd units in deploy/systemd pass `systemd-analyze verify` (with this machine's
paths in place of /srv/kring/app), start the web processes on the ports the sample nginx
config names, and the nginx body limit matches Kring's own."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
NGINX = (ROOT / "deploy" / "nginx" / "kring.conf").read_text()


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not found: install the 'systemd' package to verify the "
                    "sample units")
    for unit in UNITS.iterdir():
        text = unit.read_text()
        text = text.replace("/srv/kring/app/.venv/bin/python", sys.executable)
        text = text.replace("/srv/kring/app/.venv/bin/flask", sys.executable)
        text = text.replace("/srv/kring/app/deploy/backup.sh", str(ROOT / "deploy" / "backup.sh"))
        text = text.replace("EnvironmentFile=/etc/kring/", "EnvironmentFile=-/etc/kring/")
        (tmp_path / unit.name.replace("@.service", "@8001.service")).write_text(text)
    result = subprocess.run([analyze, "verify", "--man=no", *sorted(
        str(p) for p in tmp_path.iterdir())], capture_output=True, text=True, timeout=60,
        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr, result.stderr


def test_the_web_units_listen_where_nginx_sends_requests():
    web = (UNITS / "kring-web@.service").read_text()
    assert "KRING_PORT=%i" in web and "KRING_HOST=127.0.0.1" in web
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", NGINX) == ["8001", "8002"]
    worker = (UNITS / "kring-worker.service").read_text()
    assert "kring worker" in worker and "Restart=always" in worker


def test_the_nginx_body_limit_is_krings_request_limit():
    limit = config.load_config("production", SECRET_KEY="x" * 40)["MAX_REQUEST_BODY"]
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", NGINX).group(1))
    assert megabytes * 1024 * 1024 == limit


def test_kring_trusts_one_proxy_as_the_sample_config_expects():
    assert "KRING_TRUSTED_PROXIES=1" in NGINX
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in NGINX  # set, never appended
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in NGINX
