"""The sample nginx config (deploy/nginx/kring.conf) passes `nginx -t`, and in front of a real
Kring process in production mode it sends plain HTTP to HTTPS, serves the static files itself
with a year's cache life, refuses bodies over the upload limit, and carries a login over TLS
(the session cookie Secure and __Host-, the CSRF check satisfied by the forwarded scheme)."""
from __future__ import annotations

import re
import subprocess
from http.cookies import SimpleCookie

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, World
from tests.multi_process import KringProcess
from tests.nginx_site import HOST, ROOT, RunningNginx, nginx_binary, site_config
from tests.pg import free_port


def test_the_sample_config_passes_nginx_t(tmp_path):
    binary = nginx_binary()
    main = site_config(tmp_path)
    result = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(main)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def _get(nginx, certificate, path: str, *, tls=True, headers=None, method="GET", body=None):
    connection = nginx.connection(certificate, tls=tls)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def test_kring_behind_the_sample_nginx_over_tls(pg_cluster, tmp_path):
    binary = nginx_binary()
    url = pg_cluster.create_database("kring_behind_nginx")
    app = create_app("test", DATABASE_URL=url)
    with app.app_context():
        db.create_all()
    world = World(app)
    slug, lead = world.space()
    member = world.member(slug, lead)
    kring = KringProcess("web", tmp_path, {
        "KRING_ENV": "production", "KRING_DATABASE_URL": url, "KRING_TRUSTED_PROXIES": "1",
        "KRING_BASE_URL": f"https://{HOST}"})
    ports = (free_port(), free_port())
    (tmp_path / "nginx").mkdir()
    main = site_config(tmp_path / "nginx", ports=ports, upstream=kring.port)
    certificate = tmp_path / "nginx" / "fullchain.pem"
    nginx = RunningNginx(binary, main, ports)
    try:
        moved, _ = _get(nginx, certificate, "/login?next=/", tls=False)
        assert moved.status == 301
        assert moved.headers["Location"] == f"https://{HOST}/login?next=/"

        login_page, html = _get(nginx, certificate, "/login")
        assert login_page.status == 200
        assert login_page.headers["Strict-Transport-Security"].startswith("max-age=")
        css = re.search(r'href="(/static/css/kring\.css\?v=[0-9a-f]{12})"', html.decode()).group(1)
        static, content = _get(nginx, certificate, css)
        assert static.status == 200
        assert content == (ROOT / "static" / "css" / "kring.css").read_bytes()
        assert static.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Content-Security-Policy" not in static.headers  # nginx answered, not Kring

        cookies = SimpleCookie()
        for line in login_page.headers.get_all("Set-Cookie"):
            cookies.load(line)
        session = cookies["__Host-kring_session"]
        assert session["secure"] and session["httponly"] and session["path"] == "/"
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html.decode()).group(1)
        form = f"csrf_token={token}&email={member.email}&password={PASSWORD}".replace("@", "%40")
        jar = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        posted, _ = _get(nginx, certificate, "/login", method="POST", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": jar,
            "Referer": f"https://{HOST}/login"})
        assert posted.status == 302, posted.status
        for line in posted.headers.get_all("Set-Cookie"):
            cookies.load(line)
        jar = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        account, page = _get(nginx, certificate, "/account", headers={"Cookie": jar})
        assert account.status == 200 and member.email in page.decode()

        too_big = nginx.connection(certificate)
        too_big.putrequest("POST", "/login")
        too_big.putheader("Content-Length", str(22 * 1024 * 1024))
        too_big.endheaders()
        assert too_big.getresponse().status == 413
        too_big.close()
    finally:
        nginx.stop()
        kring.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
