"""Kring: create_app wires configuration, extensions, blueprints, CLI, headers and error pages."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import BASE_DIR, INSTANCE_DIR, check_production, load_config

from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config_name: str | None = None, **overrides) -> Flask:
    settings = load_config(config_name, **overrides)
    check_production(settings)
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.update(settings)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from app import models  # noqa: F401  (registers every table on the metadata)
    from app.web import init_web

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    init_web(app, babel)
    from app.limits import init_limits

    init_limits(app)
    from app.static_urls import init_static_urls

    init_static_urls(app)

    from app.accounts.twofactor_views import bp as twofactor_bp
    from app.accounts.views import bp as accounts_bp
    from app.admin.views import bp as admin_bp
    from app.audit.views import bp as audit_bp
    from app.cli import kring_cli
    from app.erasure.views import bp as erasure_bp
    from app.evaluation.views import bp as evaluation_bp
    from app.exports.views import bp as exports_bp
    from app.forum.seed_views import bp as seeding_bp
    from app.forum.planned_views import bp as planned_bp
    from app.forum.views import bp as forum_bp
    from app.intake.public_views import bp as interest_bp
    from app.intake.views import bp as intake_bp
    from app.library.views import bp as library_bp
    from app.meetings.views import bp as meetings_bp
    from app.meetings.attendance_views import bp as attendance_bp
    from app.meetings.feed_views import bp as calendar_bp
    from app.line.views import bp as line_bp
    from app.moderation.help_views import bp as help_bp
    from app.moderation.takedown_views import bp as takedown_bp
    from app.moderation.views import bp as moderation_bp
    from app.notes.views import bp as notes_bp
    from app.notify.views import bp as notify_bp
    from app.overview.views import bp as overview_bp
    from app.retention.views import bp as privacy_bp
    from app.search.views import bp as search_bp
    from app.spaces.departure_views import bp as departures_bp
    from app.spaces.views import bp as spaces_bp

    for blueprint in (accounts_bp, admin_bp, spaces_bp, forum_bp, moderation_bp, takedown_bp,
                      help_bp, notify_bp, library_bp, seeding_bp, planned_bp, meetings_bp,
                      evaluation_bp, notes_bp, attendance_bp, calendar_bp, line_bp,
                      overview_bp, departures_bp, intake_bp,
                      interest_bp, privacy_bp, exports_bp, erasure_bp, audit_bp,
                      twofactor_bp, search_bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(kring_cli)
    from app.uploads import init_uploads

    init_uploads(app)
    return app
