"""Small ASVS 5.0 items about the HTTP surface and the password as typed: TRACE is not
supported (13.4.4), no directory listings (13.4.3), HTML answers name their charset (4.1.1),
GET never changes anything on sign-out (3.5.3), passwords of 64+ characters work and are
checked exactly as typed (6.2.8, 6.2.9)."""
from __future__ import annotations

from tests.conftest import csrf_token


def test_trace_is_not_supported_anywhere(app, client):
    for path in ("/", "/login", "/healthz", "/static/css/kring.css", "/s/x/"):
        response = client.open(path, method="TRACE")
        assert response.status_code == 405, path
        response.close()


def test_static_folders_are_not_listed(app, client):
    for path in ("/static/", "/static/css/", "/static/js", "/static/../config.py",
                 "/static/%2e%2e/config.py"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.get_data(as_text=True)
        assert "video.js</a>" not in html and "Index of" not in html
        assert "SECRET_KEY" not in html


def test_html_answers_name_their_charset(app, client):
    for path in ("/login", "/does-not-exist", "/password/forgot"):
        response = client.get(path)
        assert response.headers["Content-Type"] == "text/html; charset=utf-8", path


def test_logging_out_is_not_possible_with_a_get(app, client, world):
    from tests.conftest import login

    person = world.user()
    login(client, person)
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_a_long_password_is_accepted_and_checked_exactly_as_typed(app, world):
    from app.accounts import service as accounts

    long_password = "een heel lang wachtwoord dat uit een hele zin bestaat, met komma's " * 2
    assert len(long_password) >= 128
    with app.app_context():
        user = accounts.create_user(email="lang@example.org", password=long_password)
        email = user.email
    attempts = {
        long_password: 302,
        long_password[:64]: 400,  # never truncated
        long_password.upper(): 400,  # never case-folded
        long_password + " ": 400,  # never trimmed
    }
    for password, status in attempts.items():
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"csrf_token": token, "email": email,
                                               "password": password})
        assert response.status_code == status, (len(password), response.status_code)
