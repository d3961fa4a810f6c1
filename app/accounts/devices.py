"""A session's device in a few words ("Firefox op Android"), derived from the user agent,
which itself is not kept. A small parser of our own: browser and system, nothing more."""
from __future__ import annotations

from flask_babel import gettext as _

# First match wins: many user agents name several browsers ("Chrome ... Safari").
_BROWSERS = (
    ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"), ("FxiOS/", "Firefox"), ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
# Android says "Linux" and the iPhone says "Mac OS X": the specific names go first.
_SYSTEMS = (
    ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("CrOS", "ChromeOS"),
    ("Windows", "Windows"), ("Macintosh", "macOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"),
)


def summarise(user_agent: str | None) -> str:
    """"Browser/System" with an empty part when unknown; only these names are stored."""
    agent = (user_agent or "")[:1000]
    browser = next((name for token, name in _BROWSERS if token in agent), "")
    system = next((name for token, name in _SYSTEMS if token in agent), "")
    return f"{browser}/{system}" if browser or system else ""


def device_label(summary: str) -> str:
    """The stored summary in the reader's language."""
    browser, _sep, system = (summary or "").partition("/")
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser or system:
        return browser or system
    return _("Unknown device")
