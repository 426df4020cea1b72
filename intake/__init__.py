"""intake: private, multilingual check-ins for psychotherapy practices."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cli, config, fhir_views, kiosk, staff, templating
from .config import ROOT
from .extensions import babel, csrf, db, login_manager, migrate
from .infra import compression, i18n, sealing, security
from .practice import settings


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INTAKE_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config.defaults(app.instance_path))
    app.config.update(config.from_environment(os.environ))
    app.config.update(test_config or {})
    config.finish(app.config, app.instance_path)

    sealing.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   timezone_selector=settings.practice_timezone)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    compression.init_app(app)

    templating.init_app(app)
    staff.init_app(app)
    kiosk.init_app(app)
    fhir_views.init_app(app)
    cli.init_app(app)
    if proxies := int(app.config["BEHIND_PROXY"]):
        # Exactly as many hops as there are proxies: one more would let a client choose
        # its own address (and so escape the login and code throttles).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,
                                x_host=proxies)
    return app
