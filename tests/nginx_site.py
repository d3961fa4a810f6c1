"""The sample nginx config (deploy/nginx/kring.conf) made runnable in a temporary folder: a
self-signed certificate for its host name, the release's static folder, and optionally
loopback ports and one upstream instead of the public ones."""
from __future__ import annotations

import datetime
import http.client
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "deploy" / "nginx" / "kring.conf"
HOST = "kring.example.org"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)
    if found is None:
        pytest.skip("nginx not found: install the 'nginx-light' package to check the sample "
                    "nginx config")
    return found


def self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
            .sign(key, hashes.SHA256()))
    chain, private = folder / "fullchain.pem", folder / "privkey.pem"
    chain.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return chain, private


def site_config(folder: Path, *, ports: tuple[int, int] | None = None,
                upstream: int | None = None) -> Path:
    """The sample with this folder's certificate and the release's static files; with `ports`
    (http, https) it listens on loopback only, with `upstream` it proxies to that port."""
    chain, private = self_signed(folder)
    text = SAMPLE.read_text()
    text = text.replace("/etc/ssl/kring/fullchain.pem", str(chain))
    text = text.replace("/etc/ssl/kring/privkey.pem", str(private))
    text = text.replace("/srv/kring/app/static/", f"{ROOT / 'static'}/")
    if ports is not None:
        plain, tls = ports
        lines = [line for line in text.splitlines() if "listen [::]" not in line]
        text = "\n".join(lines).replace("listen 80", f"listen 127.0.0.1:{plain}")
        text = text.replace("listen 443", f"listen 127.0.0.1:{tls}")
    if upstream is not None:
        text = text.replace("server 127.0.0.1:8001", f"server 127.0.0.1:{upstream}")
        text = "\n".join(line for line in text.splitlines() if "127.0.0.1:8002" not in line)
    site = folder / "kring.conf"
    site.write_text(text)
    temporary = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temporary.values():
        path.mkdir()
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    # As root, nginx's workers would become "nobody", who cannot read a test's private folder.
    user = "user root;" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(f"""{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    {mime}
    access_log {folder}/access.log;
    client_body_temp_path {temporary['body']};
    proxy_temp_path {temporary['proxy']};
    fastcgi_temp_path {temporary['fastcgi']};
    uwsgi_temp_path {temporary['uwsgi']};
    scgi_temp_path {temporary['scgi']};
    include {site};
}}
""")
    return main


class RunningNginx:
    def __init__(self, binary: str, main: Path, ports: tuple[int, int]):
        self.plain, self.tls = ports
        self.process = subprocess.Popen([binary, "-p", str(main.parent), "-c", str(main),
                                         "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.tls), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx did not start: {main.parent / 'error.log'}")
                time.sleep(0.1)

    def connection(self, certificate: Path, *, tls: bool = True) -> http.client.HTTPConnection:
        """A connection that names HOST (SNI, Host header) but reaches this nginx."""
        if tls:
            import ssl

            context = ssl.create_default_context(cafile=str(certificate))
            connection = http.client.HTTPSConnection(HOST, self.tls, context=context, timeout=30)
        else:
            connection = http.client.HTTPConnection(HOST, self.plain, timeout=30)
        port = self.tls if tls else self.plain
        connection._create_connection = (  # noqa: SLF001 (reach loopback, not DNS)
            lambda _address, *args, **kwargs: socket.create_connection(("127.0.0.1", port),
                                                                       *args, **kwargs))
        return connection

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
