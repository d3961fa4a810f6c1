"""Request plumbing shared by all blueprints: who is logged in (a server-side session row),
language and time zone, the current actor, security headers (app/headers.py) and template
helpers, each set up by its own configure step (error pages: app/errors.py; /healthz:
app/health.py)."""
from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_babel import get_locale, lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from app import navigation, policy, video
from app.frame import kept_frame
from app.fragments import splice_response
from app.accounts.service import LOCALES, PASSWORD_MIN
from app.accounts.sessions import load_session
from app.dates import format_day, format_moment, machine_moment
from app.errors import configure_errors, error_page
from app.extensions import login_manager
from app.forum.labels import REACTION_LABELS, THREAD_KIND_LABELS, shown_title, thread_title
from app.headers import csp_nonce, security_headers
from app.health import configure_health
from app.notify import kinds
from app.paging import page_window
from app.policy import Actor
from app.spaces.labels import ROLE_EXPLANATIONS, ROLE_LABELS, role_badge

LANGUAGE_COOKIE = "kring_lang"


@login_manager.user_loader
def _load_user(session_key: str):
    """The session cookie carries the key of a UserSession row: an ended session, an unknown
    key or an erased account is not logged in. One query for the row and its user."""
    found = load_session(session_key)
    if found is None:
        return None
    g.user_session, user = found
    user.session_key = session_key
    return user


def current_actor() -> Actor:
    """The actor for this request, with memberships loaded once."""
    if "actor" not in g:
        from app.spaces.queries import load_actor

        g.actor = load_actor(current_user if current_user.is_authenticated else None)
    return g.actor


def language_cookie() -> str:
    """The visitor's language cookie, __Host- prefixed like the session cookie where cookies
    travel over https only (config.py)."""
    from flask import current_app  # local: this module's imports are shared by many edits

    secure = current_app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    return "__Host-" + LANGUAGE_COOKIE if secure else LANGUAGE_COOKIE


def select_locale() -> str:
    if not has_request_context():
        return "nl"  # CLI and worker: mail picks its recipient's language with force_locale
    if current_user.is_authenticated:
        return current_user.locale
    chosen = request.cookies.get(language_cookie())
    return chosen if chosen in LOCALES else "nl"


class IdConverter(IntegerConverter):
    """Row ids in URLs: a positive integer that fits the database's integer column, so an
    absurd id is a plain 404 instead of a database overflow."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.min, self.max = 1, 2**31 - 1


def _refuse_nul():
    """No NUL character in a URL or query string gets in: PostgreSQL cannot store them and no
    person types them. Form fields are cleaned and refused at the field (app/forms.py)."""
    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
    ):
        return error_page(400, str(_l("The request contained a character that is not allowed.")))
    return None


def configure_babel(app: Flask, babel) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: app.config["BABEL_DEFAULT_TIMEZONE"],
                   default_translation_directories=str(app.root_path + "/translations"))


def configure_login() -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to continue.")
    login_manager.login_message_category = "info"
    # The session row does the real work: login starts a new one, logout ends it.
    login_manager.session_protection = None


def configure_requests(app: Flask) -> None:
    """What every request passes through: id converter, NUL refusal, security headers."""
    app.url_map.converters["id"] = IdConverter
    app.before_request(_refuse_nul)
    app.after_request(security_headers)
    app.after_request(splice_response)  # kept fragments' stand-ins: token and nonce


def configure_templates(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=lambda rule, obj=None, *args: policy.can(current_actor(), rule, obj, *args),
        current_actor=current_actor,
        get_locale=get_locale,
        notification_kind=kinds.kind_of,
        reaction_labels=REACTION_LABELS,
        role_labels=ROLE_LABELS,
        role_explanations=ROLE_EXPLANATIONS,
        role_badge=role_badge,
        thread_title=thread_title,
        shown_title=shown_title,
        thread_kind_labels=THREAD_KIND_LABELS,
        digest_count=kinds.digest_count,
        password_min=PASSWORD_MIN,
        csp_nonce=csp_nonce,
        space_is_closed=lambda space: policy.space_is_closed(current_actor(), space),
        space_not_started=lambda space: policy.space_not_started(current_actor(), space),
        page_window=page_window,  # templates/_form.html pager
        kept_frame=kept_frame,  # templates/base.html: head and footer (app/frame.py)
        site_menu=lambda: navigation.site_menu(current_actor()),
        space_menu=lambda space: navigation.space_menu(current_actor(), space),
        parse_video=video.parse_video,
        peertube_hosts=lambda: video.peertube_hosts(app.config["PEERTUBE_HOSTS"]),
        video_card_html=video.card_html,  # templates/_video.html
    )
    # One format for every page (app/dates.py): the filters take no format argument.
    app.jinja_env.filters["datetime"] = format_moment
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["machine"] = machine_moment  # <time datetime="...">, UTC with "Z"


def init_web(app: Flask, babel) -> None:
    video.peertube_hosts(app.config["PEERTUBE_HOSTS"])  # a typo stops the start, loudly
    configure_babel(app, babel)
    configure_login()
    configure_requests(app)
    configure_templates(app)
    configure_errors(app)
    configure_health(app)
