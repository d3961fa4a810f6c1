"""/privacy: public, Dutch by default (English on request), and made from the settings: a
changed retention period shows up on the page; every page's footer links to it."""
from __future__ import annotations

from tests.conftest import QueryCounter, login


def _page(client) -> str:
    response = client.get("/privacy")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_privacy_page_is_public_and_dutch(app, client):
    html = _page(client)
    assert "Privacy: wat Kring bewaart, hoe lang, en waar" in html
    assert "kring.test" in html and "Europese Unie" in html
    assert "De tekst wordt 30 dagen na het verwijderen gewist" in html
    assert "/account/export" in html and "/account/delete" in html


def test_privacy_page_states_the_configured_periods(app, client):
    app.config.update(RENTAL_GRACE_DAYS=14, MAIL_KEEP_DAYS=9, DELETED_POST_REVIEW_DAYS=5,
                      AUDIT_RETENTION_DAYS=400, INTAKE_ANSWER_DAYS=60)
    html = _page(client)
    assert "de groep nog 14 dagen lezen" in html
    assert "<td>9 dagen</td>" in html and "<td>400 dagen</td>" in html
    assert "5 dagen na het verwijderen" in html and "60 dagen na het besluit" in html


def test_privacy_page_in_english_for_an_english_account(app, client, world):
    person = world.user(locale="en")
    login(client, person)
    html = _page(client)
    assert "Privacy: what Kring keeps, for how long, and where" in html
    assert "The text is wiped 30 days after deleting" in html


def test_every_page_links_to_the_privacy_page(app, client, world):
    slug, lead = world.space()
    assert 'href="/privacy"' in client.get("/login").get_data(as_text=True)
    login(client, lead)
    assert 'href="/privacy"' in client.get(f"/s/{slug}/").get_data(as_text=True)


def test_privacy_page_needs_no_query_for_a_visitor(app, client):
    client.get("/privacy")  # warm up
    with app.app_context():
        from app.extensions import db

        with QueryCounter(db.engine) as counter:
            assert client.get("/privacy").status_code == 200
    assert counter.count == 0


def test_privacy_page_names_the_object_store_when_files_are_kept_there(app, client):
    app.config.update(STORAGE_BACKEND="s3", S3_ENDPOINT_URL="https://s3.nl-ams.example.eu",
                      S3_REGION="nl-ams")
    html = _page(client)
    assert "Alles staat op deze server" not in html
    assert "s3.nl-ams.example.eu" in html and "nl-ams" in html
    assert "verwerkersovereenkomst" in html and "Europese Unie" in html
