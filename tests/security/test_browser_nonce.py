"""In Chromium: a script element without this response's nonce does not run, whether inline or
a file of this server, while Kring's own scripts (with the nonce) do: the password meter."""
from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"Chromium not installed at {CHROMIUM}", allow_module_level=True)
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError as exc:  # pragma: no cover - depends on the environment
    pytest.skip(f"playwright cannot be imported ({exc})", allow_module_level=True)

from flask import Response, render_template_string  # noqa: E402

from tests.conftest import World  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# What markup slipped into a page would look like: an inline script, a file of this server
# and an inline handler, none with the nonce; beside them one script that has it.
PROBE = """{% extends "base.html" %}
{% block content %}
<script nonce="{{ csp_nonce() }}">
  window.blocked = [];
  document.addEventListener("securitypolicyviolation", function (e) {
    window.blocked.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
  });
  window.withNonce = true;
</script>
<script>window.inlineRan = true;</script>
<script src="/probe.js"></script>
<img src="/static/img/kring.svg" alt="" onload="window.handlerRan = true">
<p id="done">klaar</p>
{% endblock %}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nonce")
    app = site_app(folder)
    app.add_url_rule("/probe", "probe", lambda: render_template_string(PROBE))
    # A script file of this server that would mark the page if it ran.
    app.add_url_rule("/probe.js", "probe_js", lambda: Response(
        "window.fileRan = true;\n", mimetype="text/javascript"))
    world = World(app)
    slug, lead = world.space("nonce-groep")
    token = world.invite_token(slug, lead, email="nieuw.nonce@example.org")
    with served_site(app, "waitress-nonce") as served:
        yield {**served, "invite": f"/invite/{token}"}


@pytest.fixture(scope="module")
def page(site):
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        context = chromium.new_context(locale="nl-NL", service_workers="block")
        context.set_default_timeout(10_000)
        yield context.new_page()
        chromium.close()


@pytest.mark.browser
def test_scripts_without_the_nonce_do_not_run_in_chromium(site, page):
    page.goto(f"{site['base']}/probe")
    expect(page.locator("#done")).to_be_visible()
    page.wait_for_load_state("load")
    ran = page.evaluate("() => ({withNonce: !!window.withNonce, inline: !!window.inlineRan,"
                        " file: !!window.fileRan, handler: !!window.handlerRan,"
                        " blocked: window.blocked})")
    assert ran["withNonce"] is True
    assert (ran["inline"], ran["file"], ran["handler"]) == (False, False, False)
    blocked = " | ".join(ran["blocked"])
    assert "inline" in blocked and "/probe.js" in blocked, blocked


@pytest.mark.browser
def test_kring_own_scripts_run_the_password_meter_shows_strength(site, page):
    page.goto(f"{site['base']}{site['invite']}")
    meter = page.locator("[data-password-strength]")
    expect(meter).to_be_hidden()
    page.locator("input[name=password]").fill("kort")
    expect(meter).to_be_visible()
    expect(meter).to_have_text("Te kort")
    page.locator("input[name=password]").fill("aaaaaaaaaaaa")
    expect(meter).to_have_text("Zwak: makkelijk te raden")
    page.locator("input[name=password]").fill("fietsen langs de vecht in mei")
    expect(meter).to_have_text("Sterk")
    described = page.locator("input[name=password]").get_attribute("aria-describedby")
    assert "password-hint" in described and "password-strength" in described
