"""Video links without tracking: recognise YouTube, Vimeo and PeerTube URLs, validate their ids
strictly and build the privacy-enhanced player URL, plus the one click-to-play card HTML that
posts (app/markup.py) and templates (templates/_video.html) show. No request is made here."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask import current_app, has_app_context
from flask_babel import gettext as _
from markupsafe import Markup

YOUTUBE_PLAYER = "www.youtube-nocookie.com"
VIMEO_PLAYER = "player.vimeo.com"
# The placeholder is a static file: posts store this HTML, so it cannot come from url_for.
PLACEHOLDER = "/static/img/video.svg"
CARD_LINK_REL = "nofollow noopener noreferrer"

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
                  "youtube-nocookie.com", "www.youtube-nocookie.com"}
_YOUTUBE_SHORT_HOSTS = {"youtu.be", "www.youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"[1-9][0-9]{0,11}")
_VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
# PeerTube: a UUID, or its 22-character base58 short form (the /w/ links).
_PEERTUBE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                          r"|[1-9A-HJ-NP-Za-km-z]{22}")
_HOST = re.compile(r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
                   r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")
_MAX_URL = 2048


@dataclass(frozen=True)
class Video:
    """A recognised video. Every field is built from validated parts, never copied from the
    URL the member typed, so it is safe to put in an attribute or a frame."""

    provider: str        # "youtube" | "vimeo" | "peertube"
    provider_name: str   # shown on the card: YouTube, Vimeo, PeerTube
    video_id: str
    embed_url: str       # the player, on the privacy-enhanced host
    watch_url: str       # the plain page, for the link without JavaScript
    player_host: str     # the host contacted when the member presses play

    @property
    def contacted(self) -> str:
        """Who the browser talks to on play: the company, or the PeerTube server's name."""
        return self.player_host if self.provider == "peertube" else self.provider_name


def peertube_hosts(raw=None) -> tuple[str, ...]:
    """The PeerTube servers whose videos become cards: config PEERTUBE_HOSTS, a
    comma-separated list of host names (or a list). An invalid entry raises ValueError, so
    a typo is found at start-up rather than silently allowing an odd frame host."""
    if raw is None:
        raw = current_app.config.get("PEERTUBE_HOSTS", "") if has_app_context() else ""
    entries = raw.split(",") if isinstance(raw, str) else list(raw)
    hosts = []
    for entry in entries:
        host = entry.strip().lower()
        if not host:
            continue
        if not _HOST.fullmatch(host):
            raise ValueError(f"PEERTUBE_HOSTS: {entry!r} is not a host name")
        if host not in hosts:
            hosts.append(host)
    return tuple(hosts)


def player_hosts(raw=None) -> tuple[str, ...]:
    """Every host a player frame may come from (the CSP frame-src, the script's check)."""
    return (YOUTUBE_PLAYER, VIMEO_PLAYER) + peertube_hosts(raw)


def parse_video(url: str, peertube=None) -> Video | None:
    """The video a URL points to, or None when it is not a recognised video link (including
    anything odd: user info, a port, spaces, a lookalike host, a malformed id)."""
    if not isinstance(url, str) or len(url) > _MAX_URL:
        return None
    url = url.strip()
    if not url.isascii() or any(ch <= " " or ch in "\\\"'<>`" for ch in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if (parts.scheme.lower() not in ("http", "https") or port is not None
            or "@" in parts.netloc or not host):
        return None
    segments = parts.path.split("/")[1:]
    if host in _YOUTUBE_HOSTS or host in _YOUTUBE_SHORT_HOSTS:
        return _youtube(host, segments, parts.query)
    if host in _VIMEO_HOSTS or host == VIMEO_PLAYER:
        return _vimeo(host, segments, parts.query)
    if host in peertube_hosts(peertube):
        return _peertube(host, segments)
    return None


def _youtube(host: str, segments: list[str], query: str) -> Video | None:
    video_id = None
    if host in _YOUTUBE_SHORT_HOSTS:
        video_id = segments[0] if len(segments) == 1 else None
    elif segments == ["watch"]:
        values = parse_qs(query).get("v", [])
        video_id = values[0] if len(values) == 1 else None
    elif len(segments) == 2 and segments[0] in ("shorts", "embed", "live", "v"):
        video_id = segments[1]
    if not video_id or not _YOUTUBE_ID.fullmatch(video_id):
        return None
    return Video("youtube", "YouTube", video_id,
                 f"https://{YOUTUBE_PLAYER}/embed/{video_id}",
                 f"https://www.youtube.com/watch?v={video_id}", YOUTUBE_PLAYER)


def _vimeo(host: str, segments: list[str], query: str) -> Video | None:
    if host == VIMEO_PLAYER:
        if len(segments) != 2 or segments[0] != "video":
            return None
        video_id, hashes = segments[1], parse_qs(query).get("h", [])
        if len(hashes) > 1:
            return None
        unlisted = hashes[0] if hashes else None
    else:
        if not 1 <= len(segments) <= 2:
            return None
        video_id, unlisted = segments[0], (segments[1] or None) if len(segments) == 2 else None
    if not _VIMEO_ID.fullmatch(video_id):
        return None
    if unlisted is not None and not _VIMEO_HASH.fullmatch(unlisted):
        return None
    # An unlisted video needs its hash ("h") to play; dnt=1 tells the player not to track.
    if unlisted:
        embed = f"https://{VIMEO_PLAYER}/video/{video_id}?h={unlisted}&dnt=1"
        watch = f"https://vimeo.com/{video_id}/{unlisted}"
    else:
        embed = f"https://{VIMEO_PLAYER}/video/{video_id}?dnt=1"
        watch = f"https://vimeo.com/{video_id}"
    return Video("vimeo", "Vimeo", video_id, embed, watch, VIMEO_PLAYER)


def _peertube(host: str, segments: list[str]) -> Video | None:
    if len(segments) == 2 and segments[0] == "w":
        video_id = segments[1]
    elif len(segments) == 3 and segments[:2] in (["videos", "watch"], ["videos", "embed"]):
        video_id = segments[2]
    else:
        return None
    if not _PEERTUBE_ID.fullmatch(video_id):
        return None
    # p2p=0: without it the player shares the video peer to peer over WebRTC, which shows
    # every viewer's IP address to the other viewers.
    return Video("peertube", "PeerTube", video_id,
                 f"https://{host}/videos/embed/{video_id}?p2p=0",
                 f"https://{host}/w/{video_id}", host)


def card_html(video: Video, title: str | None = None) -> Markup:
    """The click-to-play card: a local placeholder, the title, the provider, a sentence
    saying that playing contacts the provider, a play button the script reveals and a plain
    outgoing link that works without JavaScript. Everything variable is escaped."""
    title = " ".join((title or "").split()) or _("Video")
    return Markup(
        '<figure class="video-card" data-video-embed="{embed}" data-video-title="{title}">'
        '<img class="video-placeholder" src="{placeholder}" alt="" width="640" height="360">'
        '<figcaption><span class="video-title">{title}</span> '
        '<span class="video-provider">{provider}</span> '
        '<span class="video-notice">{notice}</span> '
        '<button type="button" class="video-play" hidden>{play}'
        '<span class="sr-only">: {title}</span></button> '
        '<a class="video-link" href="{watch}" rel="{rel}">{watch_label}</a>'
        "</figcaption></figure>"
    ).format(
        embed=video.embed_url, title=title, placeholder=PLACEHOLDER,
        provider=video.provider_name if video.provider != "peertube"
        else f"{video.provider_name} ({video.player_host})",
        notice=_("When you click play, your browser connects to %(provider)s.",
                 provider=video.contacted),
        play=_("Play"), watch=video.watch_url, rel=CARD_LINK_REL,
        watch_label=_("Watch on %(provider)s", provider=video.contacted),
    )
