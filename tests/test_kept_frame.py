"""The frame every page shares (head, skip link, brand, footer links) is kept rendered per
app, language and path prefix (app/frame.py). Kept, it must still carry each response's own
script nonce, follow the reader's language and the settings it shows, and be the frame a
fresh render gives."""
from __future__ import annotations

import re

from app.frame import PARTS
from app.fragments import NONCE
from tests.conftest import login


def _nonces(html: str) -> set[str]:
    return set(re.findall(r'nonce="([^"]+)"', html))


def _csp_nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def test_each_response_carries_its_own_nonce_in_the_kept_head(app, client):
    seen = set()
    for _ in range(3):
        response = client.get("/login")
        html = response.get_data(as_text=True)
        nonces = _nonces(html)
        assert nonces == {_csp_nonce(response)}, nonces  # every script and style sheet
        assert NONCE not in html
        seen |= nonces
    assert len(seen) == 3
    assert app.extensions["kring_frame"].hits >= 2  # and it was the kept head that did it


def test_the_frame_follows_the_readers_language(app, world):
    slug, lead = world.space()
    reader = world.member(slug, lead, name="Lezer")
    client = app.test_client()
    login(client, reader)
    dutch = client.get("/account").get_data(as_text=True)
    assert 'lang="nl"' in dutch and "Naar de inhoud" in dutch
    with app.app_context():
        from app.accounts.models import User
        from app.extensions import db

        user = db.session.get(User, reader.user_id)
        user.locale = "en"
        db.session.commit()
    english = client.get("/account").get_data(as_text=True)
    assert 'lang="en"' in english and "Skip to content" in english
    assert "Need help right now?" in english and "Naar de inhoud" not in english


def test_a_changed_setting_shows_at_once(app, client):
    client.get("/login")  # kept with the hosts of the test settings
    app.config["PEERTUBE_HOSTS"] = "tube.example.nl"
    html = client.get("/login").get_data(as_text=True)
    assert 'data-peertube-hosts="tube.example.nl"' in html


def test_the_kept_frame_is_what_a_fresh_render_gives(app, client):
    """The parts as kept (with the nonce spliced) are the macros' output for that response."""
    from flask import get_template_attribute

    client.get("/login")
    response = client.get("/login")
    html = response.get_data(as_text=True)
    with app.test_request_context("/login"):
        from flask import g

        g.csp_nonce = _csp_nonce(response)
        for part in PARTS:
            fresh = str(get_template_attribute("_frame.html", part)())
            assert fresh in html, part


def test_no_stand_in_ever_leaves_and_the_spliced_token_works(app, world):
    """Kept blocks carry stand-ins for the token and the nonce; app/fragments.splice_response
    puts the real ones in once per HTML page. None may leave the process on any page (an
    error page, a refused form), and the token spliced in must be the one the server checks."""
    from app.fragments import TOKEN

    slug, lead = world.space()
    thread = world.thread(slug, lead, title="Een gesprek", body="Eerste bericht")
    client = app.test_client()
    login(client, lead)
    pages = [client.get(path) for path in
             ("/", f"/s/{slug}/", f"/s/{slug}/t/{thread}", "/notifications", "/s/nope/")]
    refused = client.post(f"/s/{slug}/t/{thread}/reply", data={"body": "zonder token"})
    for response in [*pages, refused, app.test_client().get("/login")]:
        html = response.get_data(as_text=True)
        assert TOKEN not in html and NONCE not in html, response.request.path
    page = pages[2].get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    sent = client.post(f"/s/{slug}/t/{thread}/reply", data={"body": "Met token", "csrf_token": token})
    assert sent.status_code == 302
    assert "Met token" in client.get(sent.headers["Location"]).get_data(as_text=True)
