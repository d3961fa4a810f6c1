"""Security headers on every response: a Content-Security-Policy whose script and style
elements need this response's nonce, HSTS in production, and the other browser switches."""
from __future__ import annotations

import secrets
from functools import lru_cache

from flask import current_app, g, request

from app import video

# Scripts run only from elements carrying this response's nonce: not even a file of this
# server runs when markup that slipped in points at it. Styles: this server's files, or an
# element with the nonce. No data: images (nothing needs them); frames only from the video
# players (app/video.py), which the page inserts when a member presses play.
CSP = (
    "default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self'; font-src 'self'; connect-src 'self'; media-src 'self'; "
    "object-src 'none'; frame-src {frames}; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


def csp_nonce() -> str:
    """This response's nonce (templates: `nonce="{{ csp_nonce() }}"` on <script> and <style>);
    fresh for every request, so a nonce read from one page is worthless on the next."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


@lru_cache(maxsize=16)
def _frames(player_hosts: tuple[str, ...]) -> str:
    return " ".join(f"https://{host}" for host in player_hosts) or "'none'"


@lru_cache(maxsize=16)
def _policy_around_nonce(peertube_setting) -> tuple[str, ...]:
    """The policy for this PEERTUBE_HOSTS setting, cut where the nonce goes: parsed and
    formatted once per process, not on every response (issue 12)."""
    frames = _frames(video.player_hosts(peertube_setting))
    return tuple(CSP.format(nonce="\x00", frames=frames).split("\x00"))


def content_security_policy(nonce: str) -> str:
    setting = current_app.config["PEERTUBE_HOSTS"]
    return nonce.join(_policy_around_nonce(setting if isinstance(setting, str)
                                           else tuple(setting)))


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    headers["X-Robots-Tag"] = "noindex, nofollow"
    config = current_app.config
    if config["PRODUCTION"] and config["HSTS_SECONDS"] > 0:
        # Production runs behind a TLS proxy only (README); browsers then refuse plain HTTP.
        # includeSubDomains covers names under Kring's own host only, never its siblings.
        headers["Strict-Transport-Security"] = (
            f"max-age={config['HSTS_SECONDS']}; includeSubDomains")
    if request.endpoint != "static":
        # Nothing from a group, an invitation or a reset link may stay in a shared computer's
        # cache; only the static files are cacheable.
        # A view that already said no-store (the calendar feed: "private, no-store") keeps it.
        if "no-store" not in headers.get("Cache-Control", ""):
            headers["Cache-Control"] = "no-store"
    return response
