"""The client-side blueprint (waiting-room tablet and phone)."""

from flask import Flask

from . import consent_views, views  # noqa: F401  (registers the routes)
from .blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
